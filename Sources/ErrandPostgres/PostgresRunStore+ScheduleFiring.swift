import Errand
import Foundation
import PostgresNIO

extension PostgresRunStore {
    /// Unpaused schedules that are due or hold a buffered occurrence, with their last runs'
    /// statuses: two probes, the due ones by `schedules_due`, the buffered ones with those whose
    /// last run finished first; merged by ``Errand/DueSchedule/ordered(_:now:limit:)``; see
    /// ``ScheduleStore/dueSchedules(now:limit:)``.
    public func dueSchedules(now: Date, limit: Int) async throws -> [DueSchedule] {
        guard limit > 0 else { return [] }
        let time = ColumnCoding.time(now)
        let rows = try await transaction { [self] session in
            let read = { (row: RowReader) in
                (try ScheduleColumns.record(row), try row.optionalString(ScheduleColumns.names.count).flatMap(RunStatus.init(rawValue:)))
            }
            let due = try await session.map(
                """
                SELECT \(unescaped: ScheduleColumns.qualifiedSelection), r.status FROM \(unescaped: tables.schedules) AS s
                LEFT JOIN \(unescaped: tables.runs) AS r ON r.id = s.last_run_id
                WHERE NOT s.paused AND s.next_fire_at IS NOT NULL AND s.next_fire_at <= \(time)
                ORDER BY s.next_fire_at, s.id LIMIT \(limit)
                """,
                read
            )
            let buffered = try await session.map(
                """
                SELECT \(unescaped: ScheduleColumns.qualifiedSelection), r.status FROM \(unescaped: tables.schedules) AS s
                LEFT JOIN \(unescaped: tables.runs) AS r ON r.id = s.last_run_id
                WHERE NOT s.paused AND s.buffered_occurrence_at IS NOT NULL
                ORDER BY r.status IS NOT NULL AND r.status NOT IN \(unescaped: Schema.finalList), s.buffered_occurrence_at, s.id
                LIMIT \(limit)
                """,
                read
            )
            return due + buffered
        }
        return DueSchedule.ordered(rows.map { DueSchedule(schedule: $0, lastRunStatus: $1) }, now: now, limit: limit)
    }

    /// The earliest fire time of unpaused schedules: one probe of `schedules_due`.
    public func nextScheduleFireTime() async throws -> Date? {
        try await session { [self] session in
            try await session.map(
                "SELECT min(next_fire_at) FROM \(unescaped: tables.schedules) WHERE NOT paused AND next_fire_at IS NOT NULL"
            ) { try $0.optionalDouble(0) }
        }.first.flatMap { $0 }.map(ColumnCoding.date)
    }

    /// Fires occurrences in one transaction: the compare-and-set `UPDATE` (which waits for, then
    /// re-checks against, a racing firing of the same schedule, so only one of them applies),
    /// then the runs through the same code as ``insertRuns(_:now:)`` (an occurrence that already
    /// has a run is skipped: `runs_occurrence`), then the last run's id; see
    /// ``ScheduleStore/fireSchedule(_:)``.
    public func fireSchedule(_ firing: ScheduleFiring) async throws -> ScheduleFireResult {
        try await transaction { [self] session in
            let applied = try await session.rows(
                """
                UPDATE \(unescaped: tables.schedules)
                SET next_fire_at = \(ColumnCoding.optionalTime(firing.nextFireAt)), last_occurrence_at = \(ColumnCoding.optionalTime(firing.lastOccurrenceAt)),
                    buffered_occurrence_at = \(ColumnCoding.optionalTime(firing.bufferedOccurrenceAt)), updated_at = \(ColumnCoding.time(firing.now))
                WHERE id = \(firing.scheduleID) AND NOT paused
                    AND next_fire_at IS NOT DISTINCT FROM \(ColumnCoding.optionalTime(firing.expectedNextFireAt))::float8
                    AND buffered_occurrence_at IS NOT DISTINCT FROM \(ColumnCoding.optionalTime(firing.expectedBufferedOccurrenceAt))::float8
                RETURNING 1
                """
            )
            guard !applied.isEmpty else { return .stale(try await ScheduleColumns.fetch(id: firing.scheduleID, tables, session)) }
            let (results, due) = try await InsertStatements.insert(firing.runs, now: firing.now, tables, session)
            if let last = results.last {
                try await session.execute(
                    "UPDATE \(unescaped: tables.schedules) SET last_run_id = \(last.id.rawValue) WHERE id = \(firing.scheduleID)"
                )
            }
            if due { try await ChangeNotifier.notify(tables, session) }
            guard let schedule = try await ScheduleColumns.fetch(id: firing.scheduleID, tables, session) else {
                throw PostgresStoreError(message: "schedule \(firing.scheduleID) vanished while firing")
            }
            return .fired(schedule, results)
        }
    }
}
