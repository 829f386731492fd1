import Errand
import Foundation
import PostgresNIO

/// Schedules CRUD; firing is in `PostgresRunStore+ScheduleFiring.swift`.
extension PostgresRunStore: ScheduleStore {
    /// Stores schedules by key in one transaction; see
    /// ``ScheduleStore/upsertSchedules(_:onConflict:now:)``.
    public func upsertSchedules(_ schedules: [Schedule], onConflict: ScheduleConflict, now: Date) async throws -> [ScheduleUpsertResult] {
        if schedules.isEmpty { return [] }
        return try await transaction { [self] session in
            var results: [ScheduleUpsertResult] = []
            for schedule in schedules {
                if try await ScheduleColumns.insert(schedule, tables, session) {
                    results.append(ScheduleUpsertResult(schedule: schedule, outcome: .created))
                    continue
                }
                guard var existing = try await ScheduleColumns.fetch(key: schedule.key, lock: true, tables, session) else {
                    throw PostgresStoreError(message: "schedule \(schedule.key) was neither stored nor found by its key")
                }
                guard onConflict == .updateDefinition, !existing.hasSameDefinition(as: schedule) else {
                    results.append(ScheduleUpsertResult(schedule: existing, outcome: .unchanged))
                    continue
                }
                existing.adoptDefinition(of: schedule, at: now)
                try await ScheduleColumns.update(existing, tables, session)
                results.append(ScheduleUpsertResult(schedule: existing, outcome: .updated))
            }
            return results
        }
    }

    /// The schedule with an id.
    public func schedule(id: String) async throws -> Schedule? {
        try await session { [self] session in try await ScheduleColumns.fetch(id: id, tables, session) }
    }

    /// The schedule with a key.
    public func schedule(key: String) async throws -> Schedule? {
        try await session { [self] session in try await ScheduleColumns.fetch(key: key, tables, session) }
    }

    /// Schedules matching the query, by id; see ``ScheduleStore/listSchedules(_:)``.
    public func listSchedules(_ query: ScheduleQuery) async throws -> [Schedule] {
        var filter = Conditions()
        filter.add(query.after, "text") { "id > \($0)" }
        filter.add(query.task, "text") { "task = \($0)" }
        filter.add(query.externalID, "text") { "external_id = \($0)" }
        filter.add(query.declared, "bool") { "declared = \($0)" }
        filter.add(query.paused, "bool") { "paused = \($0)" }
        let clause = filter.clause
        let sql = "SELECT \(ScheduleColumns.selection) FROM \(tables.schedules) \(clause) ORDER BY id LIMIT \(filter.binder.add(Paging.limit(query.limit), "int8"))"
        let statement = filter.binder.query(sql)
        return try await session { [self] session in try await session.map(statement, ScheduleColumns.record) }
    }

    /// Pauses or resumes a schedule in one transaction; see
    /// ``ScheduleStore/setSchedulePaused(id:paused:now:nextFireAt:)``.
    public func setSchedulePaused(
        id: String, paused: Bool, now: Date, nextFireAt: @escaping @Sendable (Schedule) throws -> Date?
    ) async throws -> Schedule? {
        try await transaction { [self] session in
            guard let schedule = try await session.map(
                "SELECT \(unescaped: ScheduleColumns.selection) FROM \(unescaped: tables.schedules) WHERE id = \(id) FOR UPDATE",
                ScheduleColumns.record
            ).first else { return nil }
            guard schedule.paused != paused else { return schedule }
            if paused {
                try await session.execute(
                    """
                    UPDATE \(unescaped: tables.schedules) SET paused = true, buffered_occurrence_at = NULL, updated_at = \(ColumnCoding.time(now))
                    WHERE id = \(id)
                    """
                )
            } else {
                try await session.execute(
                    """
                    UPDATE \(unescaped: tables.schedules)
                    SET paused = false, next_fire_at = \(ColumnCoding.optionalTime(try nextFireAt(schedule))), updated_at = \(ColumnCoding.time(now))
                    WHERE id = \(id)
                    """
                )
            }
            return try await ScheduleColumns.fetch(id: id, tables, session)
        }
    }

    /// Deletes a schedule in one statement (its runs are kept).
    public func deleteSchedule(id: String) async throws -> Schedule? {
        try await session { [self] session in
            try await session.map(
                "DELETE FROM \(unescaped: tables.schedules) WHERE id = \(id) RETURNING \(unescaped: ScheduleColumns.selection)",
                ScheduleColumns.record
            ).first
        }
    }

    /// Deletes declared schedules whose keys are not listed, in one statement; see
    /// ``ScheduleStore/deleteDeclaredSchedules(except:)``.
    public func deleteDeclaredSchedules(except keys: Set<String>) async throws -> [Schedule] {
        try await session { [self] session in
            try await session.map(
                """
                DELETE FROM \(unescaped: tables.schedules) WHERE declared AND NOT (key = ANY(\(keys.sorted())))
                RETURNING \(unescaped: ScheduleColumns.selection)
                """,
                ScheduleColumns.record
            )
        }.sorted { $0.id < $1.id }
    }
}
