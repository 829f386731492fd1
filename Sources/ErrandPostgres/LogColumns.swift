import Errand
import Foundation
import PostgresNIO

/// The columns of the `run_logs` table and the mapping to ``RunLogLine``.
enum LogColumns {
    /// Lines per multi-row `INSERT`.
    static let rowsPerStatement = 500

    /// Numbers the lines per run after the run's last stored line, keeping at most
    /// ``RunLogLine/maximumPerRun`` per run (the line that reaches the bound becomes the marker,
    /// later ones are dropped), and writes them; see ``RunStore/appendLogs(_:)``.
    ///
    /// Each run's numbering is serialised across transactions by the advisory lock
    /// `pg_advisory_xact_lock(hashtext(schema), hashtext(run id))`, taken (in run id order)
    /// before its last index is read.
    static func append(_ lines: [RunLogLine], _ t: Tables, _ session: Session) async throws {
        let runIDs = Array(Set(lines.map(\.runID.rawValue))).sorted()
        try await session.execute(
            """
            SELECT pg_advisory_xact_lock(hashtext(\(t.schema)), hashtext(id))
            FROM unnest(\(runIDs)::text[]) AS id ORDER BY id
            """
        )
        let last = try await session.map(
            "SELECT run_id, max(idx) FROM \(unescaped: t.runLogs) WHERE run_id = ANY(\(runIDs)) GROUP BY run_id"
        ) { row in (RunID(try row.string(0)), try row.int(1)) }
        let counts = Dictionary(last, uniquingKeysWith: max)
        let stored = RunLogLine.numbered(lines) { counts[$0] ?? 0 }
        var start = 0
        while start < stored.count {
            let chunk = stored[start ..< min(start + rowsPerStatement, stored.count)]
            var b = Binder()
            let rows = try chunk.map { line in
                let values = [
                    b.add(line.runID.rawValue, "text"), b.add(line.index, "int8"), b.add(line.attempt, "int8"),
                    b.add(line.level, "text"), b.add(line.message, "text"), b.add(try ColumnCoding.jsonObject(line.metadata), "jsonb"),
                    b.add(ColumnCoding.time(line.at), "float8"),
                ]
                return "(" + values.joined(separator: ", ") + ")"
            }
            try await session.execute(b.query(
                "INSERT INTO \(t.runLogs) (run_id, idx, attempt, level, message, metadata, at) VALUES \(rows.joined(separator: ", "))"
            ))
            start += chunk.count
        }
    }

    /// A run's lines after `index`, at most `limit`.
    static func lines(runID: RunID, after index: Int, limit: Int, _ t: Tables, _ session: Session) async throws -> [RunLogLine] {
        try await session.map(
            """
            SELECT run_id, idx, attempt, level, message, metadata::text, at FROM \(unescaped: t.runLogs)
            WHERE run_id = \(runID.rawValue) AND idx > \(index) ORDER BY idx LIMIT \(limit)
            """
        ) { row in
            RunLogLine(
                runID: RunID(try row.string(0)), attempt: try row.int(2), index: try row.int(1), level: try row.string(3),
                message: try row.string(4), metadata: try ColumnCoding.stringObject(json: try row.string(5)), at: try row.date(6)
            )
        }
    }
}
