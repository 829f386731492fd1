import Errand
import Foundation
import GRDB

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

    /// The column list qualified with `schedules.` (for joins).
    static let qualifiedSelection = names.map { "schedules.\($0)" }.joined(separator: ", ")

    /// `INSERT INTO schedules` of every column.
    static let insertSQL =
        "INSERT INTO schedules (\(selection)) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"

    /// `UPDATE schedules SET … WHERE id = ?` of every column but `id`.
    static let updateSQL = "UPDATE schedules SET \(names.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    private static let selectByIDSQL = "SELECT \(selection) FROM schedules WHERE id = ?"
    private static let selectByKeySQL = "SELECT \(selection) FROM schedules WHERE key = ?"

    /// The schedule in a row selected with ``selection``, from column `offset` on.
    static func record(_ row: Row, offset: Int = 0) throws -> Schedule {
        func column(_ index: Int) -> Int { offset + index }
        func optionalTime(_ index: Int) -> Date? { ColumnCoding.optionalDate(row[column(index)] as Double?) }
        let kindText: String = row[column(5)]
        guard let kind = ScheduleKind(rawValue: kindText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown schedule kind \(kindText) in the schedules table")
        }
        let overlapText: String = row[column(10)]
        guard let overlap = OverlapPolicy(rawValue: overlapText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown overlap policy \(overlapText) in the schedules table")
        }
        let catchUp: CatchUpPolicy
        do {
            catchUp = try CatchUpPolicy(storageText: row[column(9)])
        } catch {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "bad catch-up policy in the schedules table: \(error)")
        }
        return Schedule(
            id: row[column(0)], key: row[column(1)], externalID: row[column(2)], task: row[column(3)],
            expression: row[column(4)], kind: kind, timeZone: row[column(6)], anchor: optionalTime(7),
            payload: row[column(8)] as Data? ?? Data(), catchUp: catchUp, overlap: overlap, paused: row[column(11)],
            nextFireAt: optionalTime(12), lastOccurrenceAt: optionalTime(13),
            lastRunID: (row[column(14)] as String?).map { RunID($0) }, bufferedOccurrenceAt: optionalTime(15),
            declared: row[column(16)], createdAt: ColumnCoding.date(row[column(17)]),
            updatedAt: ColumnCoding.date(row[column(18)])
        )
    }

    /// The schedule with an id, or `nil`.
    static func fetch(id: String, _ db: Database) throws -> Schedule? {
        try Row.fetchOne(db.cachedStatement(sql: selectByIDSQL), arguments: [id]).map { try record($0) }
    }

    /// The schedule with a key, or `nil`.
    static func fetch(key: String, _ db: Database) throws -> Schedule? {
        try Row.fetchOne(db.cachedStatement(sql: selectByKeySQL), arguments: [key]).map { try record($0) }
    }

    /// Schedules selected with ``selection`` by a statement.
    static func records(_ statement: Statement, arguments: StatementArguments) throws -> [Schedule] {
        var schedules: [Schedule] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() { schedules.append(try record(row)) }
        return schedules
    }

    /// Inserts a new row for `schedule`.
    static func insert(_ schedule: Schedule, _ db: Database) throws {
        try db.cachedStatement(sql: insertSQL).execute(arguments: StatementArguments([schedule.id] + values(of: schedule)))
    }

    /// Writes every column of `schedule` (but `id`) to its row.
    static func update(_ schedule: Schedule, _ db: Database) throws {
        try db.cachedStatement(sql: updateSQL).execute(arguments: StatementArguments(values(of: schedule) + [schedule.id]))
    }

    /// The values of every column but `id`, in ``names`` order.
    private static func values(of schedule: Schedule) -> [(any DatabaseValueConvertible)?] {
        [
            schedule.key, schedule.externalID, schedule.task, schedule.expression, schedule.kind.rawValue,
            schedule.timeZone, schedule.anchor.map(ColumnCoding.time), schedule.payload, schedule.catchUp.storageText,
            schedule.overlap.rawValue, schedule.paused, schedule.nextFireAt.map(ColumnCoding.time),
            schedule.lastOccurrenceAt.map(ColumnCoding.time), schedule.lastRunID?.rawValue,
            schedule.bufferedOccurrenceAt.map(ColumnCoding.time), schedule.declared, ColumnCoding.time(schedule.createdAt),
            ColumnCoding.time(schedule.updatedAt),
        ]
    }
}
