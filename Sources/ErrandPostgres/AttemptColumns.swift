import Errand
import Foundation
import PostgresNIO

/// The columns of the `attempts` table and the mapping to ``AttemptRecord`` (attempts start in
/// ``ClaimStatements`` and end in ``CompletionStatements``).
enum AttemptColumns {
    /// The columns of an attempt after `run_id`, in the order ``record(_:)`` reads them from 1.
    static let selection = "run_id, number, worker_id, started_at, ended_at, outcome, error_type, error_name, error_message, error_stack"

    /// The column list qualified with a table alias.
    static func selection(qualifiedBy alias: String) -> String {
        selection.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The attempt in a row selected with ``selection``, from column `offset` on.
    static func record(_ row: RowReader, offset: Int = 0) throws -> (RunID, AttemptRecord) {
        let attempt = AttemptRecord(
            number: try row.int(offset + 1), workerID: try row.string(offset + 2), startedAt: try row.date(offset + 3),
            endedAt: try row.optionalDate(offset + 4),
            outcome: try row.optionalString(offset + 5).flatMap(AttemptOutcome.init(rawValue:)), error: try row.error(offset + 6)
        )
        return (RunID(try row.string(offset)), attempt)
    }

    /// The attempts of some runs, oldest first, by run.
    static func attempts(of ids: [RunID], _ tables: Tables, _ session: Session) async throws -> [RunID: [AttemptRecord]] {
        if ids.isEmpty { return [:] }
        let rows = try await session.map(
            "SELECT \(unescaped: selection) FROM \(unescaped: tables.attempts) WHERE run_id = ANY(\(ids.map(\.rawValue))) ORDER BY run_id, number",
            { try record($0) }
        )
        var byRun: [RunID: [AttemptRecord]] = [:]
        for (id, attempt) in rows { byRun[id, default: []].append(attempt) }
        return byRun
    }
}
