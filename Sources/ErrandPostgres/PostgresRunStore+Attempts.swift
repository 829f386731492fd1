import Errand
import Foundation

extension PostgresRunStore {
    /// Extends a worker's leases with one `UPDATE`; see
    /// ``RunStore/heartbeat(runs:workerID:leaseUntil:now:)``.
    public func heartbeat(runs: [RunID], workerID: String, leaseUntil: Date, now: Date) async throws -> HeartbeatResult {
        if runs.isEmpty { return HeartbeatResult() }
        let held = try await session { [self] session in
            try await session.map(
                """
                UPDATE \(unescaped: tables.runs) SET lease_expires_at = \(ColumnCoding.time(leaseUntil))
                WHERE id = ANY(\(runs.map(\.rawValue))) AND status = 'executing' AND worker_id = \(workerID)
                RETURNING id, cancel_requested_at IS NOT NULL
                """,
                hot: true
            ) { row in (RunID(try row.string(0)), try row.bool(1)) }
        }
        return HeartbeatResult(runs: runs, held: Dictionary(held, uniquingKeysWith: { first, _ in first }))
    }

    /// Writes attempt outcomes in one transaction; see ``RunStore/completeAttempts(_:)``.
    ///
    /// The common outcomes (a run's only completion in the batch, reported by its worker, not
    /// parking it) are written by one statement with no locking read (``DirectCompletionStatements``);
    /// the rest, and any of those that did not apply, by ``CompletionStatements``.
    public func completeAttempts(_ completions: [AttemptCompletion]) async throws -> [RunRecord?] {
        if completions.isEmpty { return [] }
        let perRun = Dictionary(completions.map { ($0.runID, 1) }, uniquingKeysWith: +)
        let direct = completions.filter { perRun[$0.runID] == 1 && DirectCompletionStatements.qualifies($0) }
        return try await transaction { [self] session in
            if !direct.isEmpty, direct.count < completions.count {
                // Both paths will lock runs: take all of them first, in the id order every
                // statement that locks several runs follows, rather than the direct set and then
                // the rest (a heartbeat holding one of the rest could wait for one of the first).
                try await session.execute(
                    "SELECT 1 FROM \(unescaped: tables.runs) WHERE id = ANY(\(Array(perRun.keys.map(\.rawValue)))) ORDER BY id FOR UPDATE"
                )
            }
            let applied = direct.isEmpty ? [:] : try await DirectCompletionStatements.complete(direct, tables, session)
            var results = completions.map { applied[$0.runID] }
            let rest = completions.indices.filter { results[$0] == nil }
            if rest.isEmpty { return results }
            let (runs, woke) = try await CompletionStatements.complete(rest.map { completions[$0] }, tables, session)
            for (index, run) in zip(rest, runs) { results[index] = run }
            if woke { try await ChangeNotifier.notify(tables, session) }
            return results
        }
    }

    /// Records progress with one `UPDATE`; see
    /// ``RunStore/updateProgress(runID:attempt:message:percent:now:)``.
    public func updateProgress(runID: RunID, attempt: Int, message: String?, percent: Double?, now: Date) async throws -> Bool {
        try await session { [self] session in
            try await !session.rows(
                """
                UPDATE \(unescaped: tables.runs)
                SET progress_message = \(message), progress_percent = \(percent), updated_at = \(ColumnCoding.time(now))
                WHERE id = \(runID.rawValue) AND status = 'executing' AND attempt_count = \(attempt)
                RETURNING 1
                """
            ).isEmpty
        }
    }

    /// Cancels a run in one transaction, waking its waiting parent when it was the parent's last
    /// unfinished awaited child; see ``RunStore/cancelRun(id:now:)``.
    public func cancelRun(id: RunID, now: Date) async throws -> CancelResult {
        try await transaction { [self] session in
            guard var run = try await RunColumns.fetch(id, lock: true, tables, session) else { return .notFound }
            if run.status.isFinal { return .alreadyFinal(run) }
            if run.status == .executing {
                run.cancelRequestedAt = run.cancelRequestedAt ?? now
                run.updatedAt = now
                try await session.execute(
                    """
                    UPDATE \(unescaped: tables.runs)
                    SET cancel_requested_at = \(ColumnCoding.optionalTime(run.cancelRequestedAt)), updated_at = \(ColumnCoding.time(now))
                    WHERE sequence = \(run.sequence)
                    """
                )
                return .requested(run)
            }
            run.markCanceled(at: now)
            try await RunColumns.update(run, tables, session)
            if run.awaited, let parentID = run.parentID,
               try await WakeStatements.wakeParents([.init(parentID: parentID, time: now)], tables, session) {
                try await ChangeNotifier.notify(tables, session)
            }
            return .canceled(run)
        }
    }
}
