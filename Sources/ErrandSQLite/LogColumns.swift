import Errand
import Foundation
import GRDB

/// The columns of the `run_logs` table and the mapping to ``RunLogLine``.
enum LogColumns {
    static let lastIndexSQL = "SELECT max(idx) FROM run_logs WHERE run_id = ?"
    static let selectSQL = """
        SELECT run_id, idx, attempt, level, message, metadata, at FROM run_logs
        WHERE run_id = ? AND idx > ? ORDER BY idx LIMIT ?
        """
    static let deleteSQL = "DELETE FROM run_logs WHERE run_id = ?"

    /// Lines per multi-row `INSERT`.
    static let rowsPerStatement = 64

    static func insertSQL(rows: Int) -> String {
        "INSERT INTO run_logs (run_id, idx, attempt, level, message, metadata, at) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Numbers the lines per run after the run's last stored line, keeping at most
    /// ``RunLogLine/maximumPerRun`` per run (the line that reaches the bound becomes the marker,
    /// later ones are dropped), and writes them ``rowsPerStatement`` to a statement; see
    /// ``RunStore/appendLogs(_:)``.
    static func append(_ lines: [RunLogLine], _ db: Database) throws {
        let lastIndex = try db.cachedStatement(sql: lastIndexSQL)
        let stored = try RunLogLine.numbered(lines) { runID in
            var binder = StatementBinder(lastIndex, db)
            binder.bind(runID.rawValue)
            return try binder.firstRow { $0.int(0) } ?? 0
        }
        try StatementBinder.execute(stored, rowsPerStatement: rowsPerStatement, sql: insertSQL, db) { binder, line in
            binder.bind(line.runID.rawValue)
            binder.bind(line.index)
            binder.bind(line.attempt)
            binder.bind(line.level)
            binder.bind(line.message)
            binder.bind(ColumnCoding.jsonObject(line.metadata))
            binder.bind(line.at)
        }
    }

    /// A run's lines after `index`, at most `limit`.
    static func lines(runID: RunID, after index: Int, limit: Int, _ db: Database) throws -> [RunLogLine] {
        var binder = StatementBinder(try db.cachedStatement(sql: selectSQL), db)
        binder.bind(runID.rawValue)
        binder.bind(index)
        binder.bind(limit)
        var lines: [RunLogLine] = []
        try binder.forEachRow { row in
            lines.append(RunLogLine(
                runID: RunID(row.string(0)), attempt: row.int(2), index: row.int(1), level: row.string(3),
                message: row.string(4), metadata: try ColumnCoding.stringObject(json: row.string(5)), at: row.date(6)
            ))
        }
        return lines
    }
}
