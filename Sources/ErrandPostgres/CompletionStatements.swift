import Errand
import Foundation
import PostgresNIO

/// The statements of ``PostgresRunStore/completeAttempts(_:)``, in one transaction.
///
/// The runs of the batch are read and locked in one statement (`FOR UPDATE`, in id order, so two
/// batches sharing runs cannot deadlock), with their attempts. Each completion is
/// checked (``Errand/AttemptCompletion/applies(to:)``: the same attempt, the worker that holds it
/// or a lapsed lease) and applied in memory with ``Errand/RunRecord/apply(_:)``, in order, so a
/// completion that lost a race with a rescue, or came late, is ignored. The changed runs are then
/// written with one `UPDATE … FROM (VALUES …)`, with only the columns `apply` changes, and the
/// ended attempts with one `INSERT … ON CONFLICT` (see ``AttemptColumns``); then the waiting
/// parents of awaited children that became final are woken (``WakeStatements``).
enum CompletionStatements {
    /// Runs per `UPDATE … FROM (VALUES …)`, and ended attempts per `INSERT … VALUES`.
    static let rowsPerStatement = 500

    /// Applies the completions in order and writes them; returns, for each, the updated run with
    /// its attempts, or `nil` when it did not apply; and whether a parked run became due.
    static func complete(_ completions: [AttemptCompletion], _ t: Tables, _ session: Session) async throws -> (runs: [RunRecord?], woke: Bool) {
        // The tokens runs park on, locked before the runs (the order resolving a token takes
        // them in): resolving one waits for this transaction or this one for it, so the check
        // below sees it resolved or the resolution sees the run waiting. See `wakeWaiters`.
        let tokens = completions.compactMap { completion -> String? in
            if case .token(let id) = completion.waitingFor { return id }
            return nil
        }
        if !tokens.isEmpty {
            try await session.execute(
                "SELECT id FROM \(unescaped: t.waitTokens) WHERE id = ANY(\(Array(Set(tokens)).sorted())) ORDER BY id FOR SHARE"
            )
        }
        let stored = try await lockRuns(Array(Set(completions.map(\.runID.rawValue))).sorted(), t, session)
        var byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) })
        var results: [RunRecord?] = []
        var changed: [RunID] = []  // in the order first changed
        var changedSet: Set<RunID> = []
        var ended: [(RunID, Int)] = []
        var endedSet: Set<String> = []
        var endedChildren: [(parentID: RunID, time: Date, index: Int)] = []
        var woke = false
        for completion in completions {
            guard var run = byID[completion.runID], completion.applies(to: run) else {
                results.append(nil)
                continue
            }
            if changedSet.insert(run.id).inserted { changed.append(run.id) }
            run.apply(completion)
            if run.status == .waiting, let target = completion.waitingFor {
                let pending = Dictionary(byID.values.map { ($0.sequence, $0.status) }, uniquingKeysWith: { first, _ in first })
                if try await WakeStatements.isMet(target, pending: { pending[$0] }, t, session) {
                    run.scheduledAt = completion.endedAt
                    woke = true
                }
            }
            if run.awaited, run.status.isFinal, let parentID = run.parentID {
                endedChildren.append((parentID, completion.endedAt, results.count))
            }
            byID[run.id] = run
            if endedSet.insert("\(completion.attempt) \(run.id)").inserted { ended.append((run.id, completion.attempt)) }
            results.append(run)
        }
        try await write(
            runs: changed.compactMap { byID[$0] },
            attempts: ended.compactMap { id, number in byID[id]?.attempts.last { $0.number == number }.map { (id, $0) } },
            t, session
        )
        if !endedChildren.isEmpty {
            // A child's end only wakes a parent that is waiting then: not one whose own attempt
            // completes later in this batch (it was still executing when the child ended).
            var lastCompletion: [RunID: Int] = [:]
            for (index, run) in results.enumerated() {
                if let run { lastCompletion[run.id] = index }
            }
            let wakes = endedChildren.compactMap { child -> WakeStatements.ParentWake? in
                if let parentIndex = lastCompletion[child.parentID], parentIndex > child.index { return nil }
                return WakeStatements.ParentWake(parentID: child.parentID, time: child.time)
            }
            if try await WakeStatements.wakeParents(wakes, t, session) { woke = true }
        }
        return (results, woke)
    }

    /// Reads and locks the runs (`FOR UPDATE`, in id order), the executing ones with their
    /// attempts (the open one made from the run's row when it has no row, see ``AttemptColumns``),
    /// in one statement.
    private static func lockRuns(_ ids: [String], _ t: Tables, _ session: Session) async throws -> [RunRecord] {
        let rows = try await session.map(
            """
            WITH locked AS (
                SELECT \(unescaped: RunColumns.selection), attempt_started_at FROM \(unescaped: t.runs)
                WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
            )
            SELECT locked.*, \(unescaped: AttemptColumns.selection(qualifiedBy: "a")) FROM locked
            LEFT JOIN \(unescaped: t.attempts) AS a
                ON a.run_id = locked.id AND a.run_id = ANY(\(ids)) AND locked.status = 'executing'
            ORDER BY locked.id, a.number
            """,
            AttemptColumns.runWithAttempt
        )
        return AttemptColumns.runs(rows).map { run, startedAt in
            guard run.status == .executing else { return run }
            var run = run
            run.attempts = AttemptColumns.withOpenAttempt(
                run.attempts, number: run.attemptCount, workerID: run.workerID ?? "", startedAt: startedAt
            )
            return run
        }
    }

    /// Writes the columns `apply` changes of each run, and how each ended attempt ended: one
    /// statement (two data-modifying `WITH`s) per ``rowsPerStatement`` runs and attempts.
    private static func write(runs: [RunRecord], attempts: [(RunID, AttemptRecord)], _ t: Tables, _ session: Session) async throws {
        var start = 0
        while start < max(runs.count, attempts.count) {
            var b = Binder()
            var parts: [String] = []
            let runChunk = runs[min(start, runs.count) ..< min(start + rowsPerStatement, runs.count)]
            if !runChunk.isEmpty {
                let rows = try runChunk.map { run in
                    let values = [
                        b.add(run.sequence, "int8"), b.add(run.status.rawValue, "text"),
                        b.add(ColumnCoding.time(run.updatedAt), "float8"), b.add(run.workerID, "text"),
                        b.add(ColumnCoding.optionalTime(run.leaseExpiresAt), "float8"),
                        b.add(ColumnCoding.nanoseconds(run.executionTime), "int8"), b.add(run.error?.type, "text"),
                        b.add(run.error?.name, "text"), b.add(run.error?.message, "text"), b.add(run.error?.stack, "text"),
                        b.add(ColumnCoding.optionalTime(run.completedAt), "float8"), b.add(ColumnCoding.optionalTime(run.failedAt), "float8"),
                        b.add(ColumnCoding.optionalTime(run.canceledAt), "float8"), b.add(ColumnCoding.time(run.scheduledAt), "float8"),
                        try b.add(run.result, "bytea"), b.add(run.resultNote, "text"), b.add(run.suspensions, "int8"),
                    ]
                    return "(" + values.joined(separator: ", ") + ")"
                }
                // The `= ANY` term lets PostgreSQL find the rows by index whatever its statistics
                // say (a join with `VALUES` alone may be planned as a scan of the table).
                let sequences = b.add(runChunk.map(\.sequence), "int8[]")
                parts.append("""
                    ended_runs AS (
                        UPDATE \(t.runs) SET status = v.status, updated_at = v.updated_at, worker_id = v.worker_id,
                            lease_expires_at = v.lease_expires_at, execution_nanoseconds = v.execution_nanoseconds,
                            error_type = v.error_type, error_name = v.error_name, error_message = v.error_message,
                            error_stack = v.error_stack, completed_at = v.completed_at, failed_at = v.failed_at,
                            canceled_at = v.canceled_at, scheduled_at = v.scheduled_at, result = v.result,
                            result_note = v.result_note, suspensions = v.suspensions
                        FROM (VALUES \(rows.joined(separator: ", "))) AS v(
                            sequence, status, updated_at, worker_id, lease_expires_at, execution_nanoseconds, error_type,
                            error_name, error_message, error_stack, completed_at, failed_at, canceled_at, scheduled_at, result,
                            result_note, suspensions
                        )
                        WHERE \(t.runs).sequence = v.sequence AND \(t.runs).sequence = ANY(\(sequences))
                    )
                    """)
            }
            let attemptChunk = attempts[min(start, attempts.count) ..< min(start + rowsPerStatement, attempts.count)]
            if !attemptChunk.isEmpty {
                let rows = attemptChunk.map { id, attempt in
                    let values = [
                        b.add(id.rawValue, "text"), b.add(attempt.number, "int8"), b.add(attempt.workerID, "text"),
                        b.add(ColumnCoding.time(attempt.startedAt), "float8"), b.add(ColumnCoding.optionalTime(attempt.endedAt), "float8"),
                        b.add(attempt.outcome?.rawValue, "text"), b.add(attempt.error?.type, "text"), b.add(attempt.error?.name, "text"),
                        b.add(attempt.error?.message, "text"), b.add(attempt.error?.stack, "text"),
                    ]
                    return "(" + values.joined(separator: ", ") + ")"
                }
                // The row is new unless an older version inserted it when the attempt started.
                parts.append("""
                    ended_attempts AS (
                        INSERT INTO \(t.attempts) (
                            run_id, number, worker_id, started_at, ended_at, outcome, error_type, error_name, error_message, error_stack
                        )
                        VALUES \(rows.joined(separator: ", "))
                        ON CONFLICT (run_id, number) DO UPDATE SET ended_at = excluded.ended_at, outcome = excluded.outcome,
                            error_type = excluded.error_type, error_name = excluded.error_name,
                            error_message = excluded.error_message, error_stack = excluded.error_stack
                    )
                    """)
            }
            try await session.execute(b.query("WITH \(parts.joined(separator: ", ")) SELECT 1"))
            start += rowsPerStatement
        }
    }
}
