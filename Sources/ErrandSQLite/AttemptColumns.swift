import Errand
import Foundation
import GRDB

/// The columns of the `attempts` table and the mapping to ``AttemptRecord``.
enum AttemptColumns {
    /// Selects a run's attempts, oldest first.
    static let selectSQL = """
        SELECT number, worker_id, started_at, ended_at, outcome, error_type, error_name, error_message, error_stack
        FROM attempts WHERE run_id = ? ORDER BY number
        """

    /// Starts an attempt.
    static let insertSQL = "INSERT INTO attempts (run_id, number, worker_id, started_at) VALUES (?, ?, ?, ?)"

    /// Ends an attempt.
    static let endSQL = """
        UPDATE attempts SET ended_at = ?, outcome = ?, error_type = ?, error_name = ?, error_message = ?, error_stack = ?
        WHERE run_id = ? AND number = ?
        """

    /// A run's attempts, oldest first.
    static func attempts(of id: RunID, _ db: Database) throws -> [AttemptRecord] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: selectSQL), arguments: [id.rawValue])
        var attempts: [AttemptRecord] = []
        while let row = try rows.next() {
            attempts.append(AttemptRecord(
                number: row[0], workerID: row[1], startedAt: ColumnCoding.date(row[2] as Double),
                endedAt: ColumnCoding.optionalDate(row[3] as Double?),
                outcome: (row[4] as String?).flatMap(AttemptOutcome.init(rawValue:)),
                error: ColumnCoding.error(row, at: 5)
            ))
        }
        return attempts
    }

    /// Records the start of an attempt.
    static func start(run id: RunID, number: Int, workerID: String, at time: Date, _ db: Database) throws {
        try db.cachedStatement(sql: insertSQL).execute(arguments: [id.rawValue, number, workerID, ColumnCoding.time(time)])
    }

    /// Records how an attempt ended.
    static func end(run id: RunID, number: Int, at time: Date, outcome: AttemptOutcome, error: RunError?, _ db: Database) throws {
        let values: [(any DatabaseValueConvertible)?] =
            [ColumnCoding.time(time), outcome.rawValue] + ColumnCoding.errorValues(error) + [id.rawValue, number]
        try db.cachedStatement(sql: endSQL).execute(arguments: StatementArguments(values))
    }
}
