import Errand
import Foundation
import NIOCore
import PostgresNIO

/// The common attempt outcomes written with one statement and no locking read first: the fast
/// path of ``PostgresRunStore/completeAttempts(_:)``.
///
/// A completion qualifies (``qualifies(_:)``) when the worker that holds the attempt reports it
/// and it does not park the run on a wait. The statement takes the batch as one array per column
/// (`unnest`, so its text and plan are the same for every batch), updates each run that is still
/// `executing` the same attempt for the same worker and is not an awaited child, with the
/// transition ``Errand/RunRecord/apply(_:)`` makes, written as SQL, and writes the ended attempts
/// of the runs it updated (see ``AttemptColumns``: the row is inserted, or, for an attempt an
/// older version started with a row, updated; a succeeded attempt that completes its run stays
/// on the run's row, see ``AttemptColumns/keptOnRow(completion:run:_:)``). A completion it did
/// not apply (a lost race, an awaited child whose parent may need waking) goes through
/// ``CompletionStatements`` in the same transaction, which decides it.
enum DirectCompletionStatements {
    /// Whether a completion can take the direct path.
    static func qualifies(_ completion: AttemptCompletion) -> Bool {
        guard case .worker = completion.guard, completion.waitingFor == nil else { return false }
        return completion.status != .waiting && completion.status != .executing
    }

    /// Writes qualifying completions, at most one per run; returns the updated runs, with their
    /// attempts, of those that applied.
    ///
    /// The runs are locked in id order, as every other statement that locks several runs does
    /// (the full completion's `ORDER BY id FOR UPDATE`, the heartbeat's scan of the id index),
    /// so two of them that meet on the same runs (a resent batch, a heartbeat) wait for each
    /// other rather than deadlock: `v` is sorted by id, and the update takes the runs in its
    /// order, as its plan looks each one up by id (a few against a table with statistics). On a
    /// table too small for that plan the order is the scan's; a deadlock there is detected, and
    /// the transaction retried.
    static func complete(_ completions: [AttemptCompletion], _ t: Tables, _ session: Session) async throws -> [RunID: RunRecord] {
        var b = Binder()
        let ids = b.add(completions.map(\.runID.rawValue), "text[]")
        let attempts = b.add(completions.map(\.attempt), "int8[]")
        let workers = b.add(completions.map { completion -> String in
            if case .worker(let worker) = completion.guard { return worker }
            return ""
        }, "text[]")
        let statuses = b.add(completions.map(\.status.rawValue), "text[]")
        let endedAt = b.add(completions.map { ColumnCoding.time($0.endedAt) }, "float8[]")
        let executions = b.add(completions.map { ColumnCoding.nanoseconds($0.executionTime) }, "int8[]")
        let outcomes = b.add(completions.map(\.outcome.rawValue), "text[]")
        let errorTypes = b.add(NullableArray(completions.map(\.error?.type)), "text[]")
        let errorNames = b.add(NullableArray(completions.map(\.error?.name)), "text[]")
        let errorMessages = b.add(NullableArray(completions.map(\.error?.message)), "text[]")
        let errorStacks = b.add(NullableArray(completions.map { $0.error?.stack }), "text[]")
        let results = b.add(NullableArray(completions.map { $0.result.map { ByteBuffer(bytes: $0) } }), "bytea[]")
        let resultNotes = b.add(NullableArray(completions.map(\.resultNote)), "text[]")
        let retryAt = b.add(NullableArray(completions.map { ColumnCoding.optionalTime($0.retryAt) }), "float8[]")
        let final = "('failed', 'timedOut', 'crashed', 'expired')"
        func error(_ column: String) -> String {
            // A reported error always has a type, so a non-NULL type means the error replaces the run's.
            "\(column) = CASE WHEN v.status = 'completed' THEN NULL WHEN v.error_type IS NOT NULL THEN v.\(column) ELSE r.\(column) END"
        }
        let sql = """
            WITH v AS (
                SELECT * FROM unnest(
                    \(ids), \(attempts), \(workers), \(statuses), \(endedAt), \(executions), \(outcomes),
                    \(errorTypes), \(errorNames), \(errorMessages), \(errorStacks), \(results), \(resultNotes), \(retryAt)
                ) AS v(
                    id, attempt, worker, status, ended_at, execution_nanoseconds, outcome,
                    error_type, error_name, error_message, error_stack, result, result_note, retry_at
                )
                ORDER BY id
            ), done AS (
                UPDATE \(t.runs) AS r SET status = v.status, updated_at = v.ended_at, worker_id = NULL, lease_expires_at = NULL,
                    execution_nanoseconds = r.execution_nanoseconds + v.execution_nanoseconds,
                    suspensions = r.suspensions + CASE WHEN v.outcome = 'suspended' THEN 1 ELSE 0 END,
                    \(error("error_type")), \(error("error_name")), \(error("error_message")), \(error("error_stack")),
                    completed_at = CASE WHEN v.status = 'completed' THEN v.ended_at ELSE r.completed_at END,
                    result = CASE WHEN v.status = 'completed' THEN v.result ELSE r.result END,
                    result_note = CASE WHEN v.status = 'completed' THEN v.result_note ELSE r.result_note END,
                    canceled_at = CASE WHEN v.status = 'canceled' THEN v.ended_at ELSE r.canceled_at END,
                    failed_at = CASE WHEN v.status IN \(final) THEN v.ended_at ELSE r.failed_at END,
                    scheduled_at = CASE WHEN v.status IN ('retrying', 'delayed', 'queued')
                        THEN coalesce(v.retry_at, v.ended_at) ELSE r.scheduled_at END,
                    attempt_worker_id = CASE WHEN \(AttemptColumns.keptOnRow(completion: "v", run: "r", t))
                        THEN v.worker END
                FROM v
                WHERE r.id = v.id AND r.status = 'executing' AND r.attempt_count = v.attempt
                    AND r.worker_id = v.worker AND NOT r.awaited
                RETURNING \(RunColumns.selection(qualifiedBy: "r")), r.attempt_started_at, r.attempt_worker_id
            ), ended AS (
                INSERT INTO \(t.attempts) AS a (
                    run_id, number, worker_id, started_at, ended_at, outcome, error_type, error_name, error_message, error_stack
                )
                SELECT done.id, v.attempt, v.worker, coalesce(done.attempt_started_at, v.ended_at), v.ended_at, v.outcome,
                    v.error_type, v.error_name, v.error_message, v.error_stack
                FROM done JOIN v ON v.id = done.id
                WHERE done.attempt_worker_id IS NULL
                ON CONFLICT (run_id, number) DO UPDATE SET ended_at = excluded.ended_at, outcome = excluded.outcome,
                    error_type = excluded.error_type, error_name = excluded.error_name,
                    error_message = excluded.error_message, error_stack = excluded.error_stack
            )
            SELECT \(RunColumns.selection(qualifiedBy: "done")), done.attempt_started_at, a.* FROM done LEFT JOIN LATERAL (
                SELECT \(AttemptColumns.selection) FROM \(t.attempts)
                WHERE run_id = done.id AND (done.attempt_count > 1 OR done.attempt_started_at IS NULL)
            ) AS a ON true
            ORDER BY done.id, a.number
            """
        // Only the earlier attempts, or the row an older version inserted when it started this
        // attempt, are read: the statement does not see its own insert, and a first attempt
        // started by this version has no earlier row to look for.
        let rows = try await session.map(b.query(sql), AttemptColumns.runWithAttempt)
        let updated = AttemptColumns.runs(rows)
        let startedAt = Dictionary(updated.map { ($0.run.id, $0.startedAt) }, uniquingKeysWith: { first, _ in first })
        var runs = Dictionary(updated.map { ($0.run.id, $0.run) }, uniquingKeysWith: { first, _ in first })
        for completion in completions {
            guard var run = runs[completion.runID], case .worker(let worker) = completion.guard else { continue }
            run.attempts = AttemptColumns.withOpenAttempt(
                run.attempts, number: completion.attempt, workerID: worker, startedAt: startedAt[run.id] ?? nil
            )
            if let index = run.attempts.lastIndex(where: { $0.number == completion.attempt }) { run.attempts[index].end(completion) }
            runs[run.id] = run
        }
        return runs
    }
}
