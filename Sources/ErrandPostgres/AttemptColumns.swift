import Errand
import Foundation
import PostgresNIO

/// The columns of the `attempts` table and the mapping to ``AttemptRecord``.
///
/// An attempt's row is written once, when the attempt ends (``DirectCompletionStatements``,
/// ``CompletionStatements``). While it runs, it is the run's row: a claim sets `attempt_count`,
/// `worker_id` and `attempt_started_at`, and reads make the open attempt from them when the run is
/// `executing` and has no row for it (an attempt started by a version before schema version 4 has
/// one). A succeeded attempt that completed its run stays on the run's row for good
/// (``keptOnRow(completion:run:_:)``, schema version 7).
enum AttemptColumns {
    /// The SQL condition under which the direct completion keeps the ended attempt on the run's
    /// row (sets `runs.attempt_worker_id`, which then tells its insert to skip the attempt) and
    /// writes no `attempts` row: it completes the run from a
    /// succeeded attempt with no error, started by a claim of schema version 4 or later
    /// (`attempt_started_at` set), which has no row (an older version's claim inserted one and
    /// left `attempt_started_at` as an earlier attempt set it: that row is ended instead).
    /// `completion` is the alias of the completion's values (`id`, `attempt`, `status`, …),
    /// `run` that of the run's row.
    static func keptOnRow(completion v: String, run r: String, _ tables: Tables) -> String {
        """
        \(v).status = 'completed' AND \(v).outcome = 'succeeded' AND \(v).error_type IS NULL AND \(r).attempt_started_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM \(tables.attempts) AS kept WHERE kept.run_id = \(v).id AND kept.number = \(v).attempt)
        """
    }

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

    /// A row of a run's columns (``RunColumns/selection``), its `attempt_started_at`, then an
    /// attempt's columns (``selection``, all `NULL` when a join found none).
    static func runWithAttempt(_ row: RowReader) throws -> (run: RunRecord, startedAt: Date?, attempt: AttemptRecord?) {
        let columns = RunColumns.names.count
        return (
            try RunColumns.record(row), try row.optionalDate(columns),
            row.isNull(columns + 1) ? nil : try record(row, offset: columns + 1).1
        )
    }

    /// Folds rows of ``runWithAttempt(_:)``, ordered by run and then attempt number, into the
    /// runs in that order, each with its stored attempts, and with its `attempt_started_at`.
    static func runs(_ rows: [(run: RunRecord, startedAt: Date?, attempt: AttemptRecord?)]) -> [(run: RunRecord, startedAt: Date?)] {
        var runs: [(run: RunRecord, startedAt: Date?)] = []
        for (run, startedAt, attempt) in rows {
            if runs.last?.run.id != run.id { runs.append((run, startedAt)) }
            if let attempt { runs[runs.count - 1].run.attempts.append(attempt) }
        }
        return runs
    }

    /// The attempts of some runs, oldest first, by run, in one statement: the stored ones, the
    /// open attempt of an executing run, and the succeeded last attempt a completed run keeps on
    /// its row.
    static func attempts(of ids: [RunID], _ tables: Tables, _ session: Session) async throws -> [RunID: [AttemptRecord]] {
        if ids.isEmpty { return [:] }
        var b = Binder()
        let list = b.add(ids.map(\.rawValue), "text[]")
        let rows = try await session.map(
            b.query("""
                SELECT \(selection) FROM \(tables.attempts) WHERE run_id = ANY(\(list))
                UNION ALL
                SELECT r.id, r.attempt_count, r.worker_id, r.attempt_started_at, NULL, NULL, NULL, NULL, NULL, NULL
                FROM \(tables.runs) AS r
                WHERE r.id = ANY(\(list)) AND r.status = 'executing' AND r.attempt_started_at IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM \(tables.attempts) AS a WHERE a.run_id = r.id AND a.number = r.attempt_count)
                UNION ALL
                SELECT r.id, r.attempt_count, r.attempt_worker_id, r.attempt_started_at, r.completed_at, 'succeeded', NULL, NULL, NULL, NULL
                FROM \(tables.runs) AS r
                WHERE r.id = ANY(\(list)) AND r.status = 'completed' AND r.attempt_worker_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM \(tables.attempts) AS a WHERE a.run_id = r.id AND a.number = r.attempt_count)
                ORDER BY run_id, number
                """),
            { try record($0) }
        )
        var byRun: [RunID: [AttemptRecord]] = [:]
        for (id, attempt) in rows { byRun[id, default: []].append(attempt) }
        return byRun
    }

    /// `stored` with the open attempt `number` added when a claim of schema version 4 started it
    /// (`startedAt`, the run's `attempt_started_at`, is set) and it has no row yet; in number order.
    static func withOpenAttempt(_ stored: [AttemptRecord], number: Int, workerID: String, startedAt: Date?) -> [AttemptRecord] {
        guard let startedAt, !stored.contains(where: { $0.number == number }) else { return stored }
        var attempts = stored
        attempts.append(AttemptRecord(number: number, workerID: workerID, startedAt: startedAt))
        attempts.sort { $0.number < $1.number }
        return attempts
    }
}
