import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    private static let dueSQL = """
        SELECT \(ScheduleColumns.qualifiedSelection), runs.status FROM schedules INDEXED BY schedules_due
        LEFT JOIN runs ON runs.id = schedules.last_run_id
        WHERE schedules.paused = 0 AND schedules.next_fire_at IS NOT NULL AND schedules.next_fire_at <= ?
        ORDER BY schedules.next_fire_at, schedules.id LIMIT ?
        """
    /// The final statuses, as an SQL list.
    private static let finalStatusList = "(\(RunStatus.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    private static let bufferedSQL = """
        SELECT \(ScheduleColumns.qualifiedSelection), runs.status FROM schedules INDEXED BY schedules_buffered
        LEFT JOIN runs ON runs.id = schedules.last_run_id
        WHERE schedules.paused = 0 AND schedules.buffered_occurrence_at IS NOT NULL
        ORDER BY runs.status IS NOT NULL AND runs.status NOT IN \(finalStatusList), schedules.buffered_occurrence_at, schedules.id LIMIT ?
        """
    private static let nextFireSQL = """
        SELECT min(next_fire_at) FROM schedules INDEXED BY schedules_due WHERE paused = 0 AND next_fire_at IS NOT NULL
        """
    private static let casSQL = """
        UPDATE schedules SET next_fire_at = ?, last_occurrence_at = ?, buffered_occurrence_at = ?, updated_at = ?
        WHERE id = ? AND paused = 0 AND next_fire_at IS ? AND buffered_occurrence_at IS ?
        """
    private static let lastRunSQL = "UPDATE schedules SET last_run_id = ? WHERE id = ?"

    /// Unpaused schedules that are due or hold a buffered occurrence, with their last runs'
    /// statuses: two ordered probes of partial indexes, merged; see
    /// ``ScheduleStore/dueSchedules(now:limit:)``.
    public func dueSchedules(now: Date, limit: Int) async throws -> [DueSchedule] {
        guard limit > 0 else { return [] }
        return try await read { db in
            var candidates: [DueSchedule] = []
            func collect(_ statement: Statement, _ arguments: StatementArguments) throws {
                let rows = try Row.fetchCursor(statement, arguments: arguments)
                while let row = try rows.next() {
                    let status = (row[ScheduleColumns.names.count] as String?).flatMap(RunStatus.init(rawValue:))
                    candidates.append(DueSchedule(schedule: try ScheduleColumns.record(row), lastRunStatus: status))
                }
            }
            try collect(db.cachedStatement(sql: Self.dueSQL), [ColumnCoding.time(now), limit])
            try collect(db.cachedStatement(sql: Self.bufferedSQL), [limit])
            return DueSchedule.ordered(candidates, now: now, limit: limit)
        }
    }

    /// The earliest fire time of unpaused schedules: one probe of `schedules_due`.
    public func nextScheduleFireTime() async throws -> Date? {
        try await read { db in
            ColumnCoding.optionalDate(try Double.fetchOne(db.cachedStatement(sql: Self.nextFireSQL)))
        }
    }

    /// Fires occurrences in one savepoint of a group commit: the compare-and-set `UPDATE`, then
    /// the runs through the same code as ``insertRuns(_:now:)`` (so an occurrence that already
    /// has a run is skipped), then the last run's id; see ``ScheduleStore/fireSchedule(_:)``.
    public func fireSchedule(_ firing: ScheduleFiring) async throws -> ScheduleFireResult {
        try await write { db in
            try db.cachedStatement(sql: Self.casSQL).execute(arguments: [
                firing.nextFireAt.map(ColumnCoding.time), firing.lastOccurrenceAt.map(ColumnCoding.time),
                firing.bufferedOccurrenceAt.map(ColumnCoding.time), ColumnCoding.time(firing.now), firing.scheduleID,
                firing.expectedNextFireAt.map(ColumnCoding.time), firing.expectedBufferedOccurrenceAt.map(ColumnCoding.time),
            ])
            guard db.changesCount == 1 else { return .stale(try ScheduleColumns.fetch(id: firing.scheduleID, db)) }
            let results = try Self.insertRuns(firing.runs, now: firing.now, db)
            if let last = results.last {
                try db.cachedStatement(sql: Self.lastRunSQL).execute(arguments: [last.id.rawValue, firing.scheduleID])
            }
            guard let schedule = try ScheduleColumns.fetch(id: firing.scheduleID, db) else {
                throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "schedule \(firing.scheduleID) vanished while firing")
            }
            return .fired(schedule, results)
        }
    }
}
