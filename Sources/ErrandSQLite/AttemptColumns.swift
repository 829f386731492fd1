import Errand
import Foundation
import GRDB

/// The columns of the `attempts` table and the mapping to ``AttemptRecord`` (attempts end in
/// ``CompletionStatements``).
enum AttemptColumns {
    /// The columns of an attempt, in the order ``record(_:)`` reads them.
    static let selection = "number, worker_id, started_at, ended_at, outcome, error_type, error_name, error_message, error_stack"

    /// Selects a run's attempts, oldest first.
    static let selectSQL = "SELECT \(selection) FROM attempts WHERE run_id = ? ORDER BY number"

    /// Starts an attempt.
    static let insertSQL = "INSERT INTO attempts (run_id, number, worker_id, started_at) VALUES (?, ?, ?, ?)"

    /// The attempt in the current row of a statement selecting ``selection``.
    static func record(_ row: ColumnReader) -> AttemptRecord {
        AttemptRecord(
            number: row.int(0), workerID: row.string(1), startedAt: row.date(2), endedAt: row.optionalDate(3),
            outcome: row.optionalString(4).flatMap(AttemptOutcome.init(rawValue:)),
            error: row.isNull(5)
                ? nil
                : RunError(type: row.string(5), name: row.optionalString(6) ?? "", message: row.optionalString(7) ?? "", stack: row.optionalString(8))
        )
    }

    /// A run's attempts, oldest first (`statement`: ``selectSQL`` prepared by `db`, to skip the
    /// statement cache's lookup in a loop).
    static func attempts(of id: RunID, _ db: Database, statement: Statement? = nil) throws -> [AttemptRecord] {
        var binder = StatementBinder(try statement ?? db.cachedStatement(sql: selectSQL), db)
        binder.bind(id.rawValue)
        var attempts: [AttemptRecord] = []
        try binder.forEachRow { attempts.append(record($0)) }
        return attempts
    }

    /// Records the start of an attempt.
    static func start(run id: RunID, number: Int, workerID: String, at time: Date, _ db: Database) throws {
        var binder = StatementBinder(try db.cachedStatement(sql: insertSQL), db)
        binder.bind(id.rawValue)
        binder.bind(number)
        binder.bind(workerID)
        binder.bind(time)
        try binder.execute()
    }

    /// Attempts per multi-row `INSERT` in ``start(_:workerID:at:_:)``.
    private static let rowsPerInsert = 32
    private static let multiInsertSQL =
        "INSERT INTO attempts (run_id, number, worker_id, started_at) VALUES "
            + Array(repeating: "(?, ?, ?, ?)", count: rowsPerInsert).joined(separator: ", ")

    /// Records the start of each run's current attempt (number ``RunRecord/attemptCount``), in
    /// order: `rowsPerInsert` rows per statement, the rest one by one.
    static func start(_ runs: [RunRecord], workerID: String, at time: Date, _ db: Database) throws {
        var next = 0
        if runs.count >= rowsPerInsert {
            let multi = try db.cachedStatement(sql: multiInsertSQL)
            while runs.count - next >= rowsPerInsert {
                var binder = StatementBinder(multi, db)
                for run in runs[next ..< next + rowsPerInsert] {
                    binder.bind(run.id.rawValue)
                    binder.bind(run.attemptCount)
                    binder.bind(workerID)
                    binder.bind(time)
                }
                try binder.execute()
                next += rowsPerInsert
            }
        }
        for run in runs[next...] {
            try start(run: run.id, number: run.attemptCount, workerID: workerID, at: time, db)
        }
    }
}
