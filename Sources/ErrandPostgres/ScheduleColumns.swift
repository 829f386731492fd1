import Errand
import Foundation
import PostgresNIO

/// The columns of the `schedules` table, in the one order every statement selects and writes
/// them, and the mapping between a row and a ``Schedule``.
enum ScheduleColumns {
    /// Every column, `id` first.
    static let names = [
        "id", "key", "external_id", "task", "expression", "kind", "time_zone", "anchor_at", "payload", "catch_up",
        "overlap", "paused", "next_fire_at", "last_occurrence_at", "last_run_id", "buffered_occurrence_at",
        "declared", "created_at", "updated_at",
    ]

    /// The column list for `SELECT`.
    static let selection = names.joined(separator: ", ")

    /// The column list qualified with `s.` (for joins).
    static let qualifiedSelection = names.map { "s.\($0)" }.joined(separator: ", ")

    /// The schedule in a row selected with ``selection``.
    static func record(_ row: RowReader) throws -> Schedule {
        let kindText = try row.string(5)
        guard let kind = ScheduleKind(rawValue: kindText) else {
            throw PostgresStoreError(message: "unknown schedule kind \(kindText) in the schedules table")
        }
        let overlapText = try row.string(10)
        guard let overlap = OverlapPolicy(rawValue: overlapText) else {
            throw PostgresStoreError(message: "unknown overlap policy \(overlapText) in the schedules table")
        }
        let catchUp: CatchUpPolicy
        do {
            catchUp = try CatchUpPolicy(storageText: try row.string(9))
        } catch {
            throw PostgresStoreError(message: "bad catch-up policy in the schedules table: \(error)")
        }
        return Schedule(
            id: try row.string(0), key: try row.string(1), externalID: try row.optionalString(2), task: try row.string(3),
            expression: try row.string(4), kind: kind, timeZone: try row.string(6), anchor: try row.optionalDate(7),
            payload: try row.data(8), catchUp: catchUp, overlap: overlap, paused: try row.bool(11),
            nextFireAt: try row.optionalDate(12), lastOccurrenceAt: try row.optionalDate(13),
            lastRunID: try row.optionalString(14).map { RunID($0) }, bufferedOccurrenceAt: try row.optionalDate(15),
            declared: try row.bool(16), createdAt: try row.date(17), updatedAt: try row.date(18)
        )
    }

    /// The schedule with an id, or `nil`.
    static func fetch(id: String, _ t: Tables, _ session: Session) async throws -> Schedule? {
        try await session.map("SELECT \(unescaped: selection) FROM \(unescaped: t.schedules) WHERE id = \(id)", record).first
    }

    /// The schedule with a key, or `nil`; `lock` takes its row lock.
    static func fetch(key: String, lock: Bool = false, _ t: Tables, _ session: Session) async throws -> Schedule? {
        try await session.map(
            "SELECT \(unescaped: selection) FROM \(unescaped: t.schedules) WHERE key = \(key)\(unescaped: lock ? " FOR UPDATE" : "")",
            record
        ).first
    }

    /// The values of every column, in ``names`` order, bound into `b`.
    private static func values(of schedule: Schedule, _ b: inout Binder) throws -> [String] {
        [
            b.add(schedule.id, "text"), b.add(schedule.key, "text"), b.add(schedule.externalID, "text"),
            b.add(schedule.task, "text"), b.add(schedule.expression, "text"), b.add(schedule.kind.rawValue, "text"),
            b.add(schedule.timeZone, "text"), b.add(ColumnCoding.optionalTime(schedule.anchor), "float8"),
            try b.add(schedule.payload, "bytea"), b.add(schedule.catchUp.storageText, "text"),
            b.add(schedule.overlap.rawValue, "text"), b.add(schedule.paused, "bool"),
            b.add(ColumnCoding.optionalTime(schedule.nextFireAt), "float8"), b.add(ColumnCoding.optionalTime(schedule.lastOccurrenceAt), "float8"),
            b.add(schedule.lastRunID?.rawValue, "text"), b.add(ColumnCoding.optionalTime(schedule.bufferedOccurrenceAt), "float8"),
            b.add(schedule.declared, "bool"), b.add(ColumnCoding.time(schedule.createdAt), "float8"),
            b.add(ColumnCoding.time(schedule.updatedAt), "float8"),
        ]
    }

    /// Inserts `schedule` unless its key is taken; returns whether it was inserted (the unique
    /// key decides between racing transactions).
    static func insert(_ schedule: Schedule, _ t: Tables, _ session: Session) async throws -> Bool {
        var b = Binder()
        let values = try values(of: schedule, &b).joined(separator: ", ")
        return try await !session.rows(
            b.query("INSERT INTO \(t.schedules) (\(selection)) VALUES (\(values)) ON CONFLICT (key) DO NOTHING RETURNING 1")
        ).isEmpty
    }

    /// Writes every column of `schedule` (but `id`) to its row.
    static func update(_ schedule: Schedule, _ t: Tables, _ session: Session) async throws {
        var b = Binder()
        let values = try values(of: schedule, &b)
        let assignments = zip(names, values).dropFirst().map { "\($0) = \($1)" }.joined(separator: ", ")
        try await session.execute(b.query("UPDATE \(t.schedules) SET \(assignments) WHERE id = \(values[0])"))
    }
}
