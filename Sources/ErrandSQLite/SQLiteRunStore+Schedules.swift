import Errand
import Foundation
import GRDB

/// Schedules CRUD; firing is in `SQLiteRunStore+ScheduleFiring.swift`.
extension SQLiteRunStore: ScheduleStore {
    private static let pauseSQL = "UPDATE schedules SET paused = 1, buffered_occurrence_at = NULL, updated_at = ? WHERE id = ?"
    private static let resumeSQL = "UPDATE schedules SET paused = 0, next_fire_at = ?, updated_at = ? WHERE id = ?"
    private static let deleteSQL = "DELETE FROM schedules WHERE id = ?"
    private static let declaredSQL = "SELECT \(ScheduleColumns.selection) FROM schedules WHERE declared = 1 ORDER BY id"

    /// Stores schedules by key in one savepoint of a group commit; see
    /// ``ScheduleStore/upsertSchedules(_:onConflict:now:)``.
    public func upsertSchedules(_ schedules: [Schedule], onConflict: ScheduleConflict, now: Date) async throws -> [ScheduleUpsertResult] {
        if schedules.isEmpty { return [] }
        return try await write { db in
            try schedules.map { schedule in
                guard var existing = try ScheduleColumns.fetch(key: schedule.key, db) else {
                    try ScheduleColumns.insert(schedule, db)
                    return ScheduleUpsertResult(schedule: schedule, outcome: .created)
                }
                guard onConflict == .updateDefinition, !existing.hasSameDefinition(as: schedule) else {
                    return ScheduleUpsertResult(schedule: existing, outcome: .unchanged)
                }
                existing.adoptDefinition(of: schedule, at: now)
                try ScheduleColumns.update(existing, db)
                return ScheduleUpsertResult(schedule: existing, outcome: .updated)
            }
        }
    }

    /// The schedule with an id, read from a reader connection.
    public func schedule(id: String) async throws -> Schedule? {
        try await read { db in try ScheduleColumns.fetch(id: id, db) }
    }

    /// The schedule with a key, read from a reader connection.
    public func schedule(key: String) async throws -> Schedule? {
        try await read { db in try ScheduleColumns.fetch(key: key, db) }
    }

    /// Schedules matching the query, by id; see ``ScheduleStore/listSchedules(_:)``.
    public func listSchedules(_ query: ScheduleQuery) async throws -> [Schedule] {
        var filter = SQLFilter()
        filter.add("id > ?", query.after)
        filter.add("task = ?", query.task)
        filter.add("external_id = ?", query.externalID)
        filter.add("declared = ?", query.declared)
        filter.add("paused = ?", query.paused)
        let sql = "SELECT \(ScheduleColumns.selection) FROM schedules \(filter.clause) ORDER BY id LIMIT ?"
        let queryArguments = filter.arguments(max(1, min(query.limit, 1000)))
        return try await read { db in try ScheduleColumns.records(db.cachedStatement(sql: sql), arguments: queryArguments) }
    }

    /// Pauses or resumes a schedule in one savepoint of a group commit; see
    /// ``ScheduleStore/setSchedulePaused(id:paused:now:nextFireAt:)``.
    public func setSchedulePaused(
        id: String, paused: Bool, now: Date, nextFireAt: @escaping @Sendable (Schedule) throws -> Date?
    ) async throws -> Schedule? {
        try await write { db in
            guard let schedule = try ScheduleColumns.fetch(id: id, db) else { return nil }
            guard schedule.paused != paused else { return schedule }
            if paused {
                try db.cachedStatement(sql: Self.pauseSQL).execute(arguments: [ColumnCoding.time(now), id])
            } else {
                try db.cachedStatement(sql: Self.resumeSQL)
                    .execute(arguments: [try nextFireAt(schedule).map(ColumnCoding.time), ColumnCoding.time(now), id])
            }
            return try ScheduleColumns.fetch(id: id, db)
        }
    }

    /// Deletes a schedule in one savepoint of a group commit (its runs are kept).
    public func deleteSchedule(id: String) async throws -> Schedule? {
        try await write { db in
            guard let schedule = try ScheduleColumns.fetch(id: id, db) else { return nil }
            try db.cachedStatement(sql: Self.deleteSQL).execute(arguments: [id])
            return schedule
        }
    }

    /// Deletes declared schedules whose keys are not listed, in one savepoint of a group commit;
    /// see ``ScheduleStore/deleteDeclaredSchedules(except:)``.
    public func deleteDeclaredSchedules(except keys: Set<String>) async throws -> [Schedule] {
        try await write { db in
            let victims = try ScheduleColumns.records(db.cachedStatement(sql: Self.declaredSQL), arguments: [])
                .filter { !keys.contains($0.key) }
            let delete = try db.cachedStatement(sql: Self.deleteSQL)
            for victim in victims { try delete.execute(arguments: [victim.id]) }
            return victims
        }
    }
}
