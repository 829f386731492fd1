import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    private static let heartbeatSQL = """
        UPDATE runs SET lease_expires_at = ? WHERE id = ? AND status = 'executing' AND worker_id = ?
        RETURNING cancel_requested_at IS NOT NULL
        """
    private static let progressSQL = """
        UPDATE runs SET progress_message = ?, progress_percent = ?, updated_at = ?
        WHERE id = ? AND status = 'executing' AND attempt_count = ?
        """
    private static let requestCancelSQL = """
        UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, ?), updated_at = ? WHERE sequence = ?
        """

    /// Extends a worker's leases in one savepoint of a group commit; see
    /// ``RunStore/heartbeat(runs:workerID:leaseUntil:now:)``.
    public func heartbeat(runs: [RunID], workerID: String, leaseUntil: Date, now: Date) async throws -> HeartbeatResult {
        if runs.isEmpty { return HeartbeatResult() }
        return try await write { db in
            var held: [RunID: Bool] = [:]
            let statement = try db.cachedStatement(sql: Self.heartbeatSQL)
            let lease = ColumnCoding.time(leaseUntil)
            for id in runs {
                held[id] = try Bool.fetchOne(statement, arguments: [lease, id.rawValue, workerID])
            }
            return HeartbeatResult(runs: runs, held: held)
        }
    }

    /// Writes attempt outcomes in one savepoint of a group commit, applying
    /// `RunRecord.apply(_:)` to each run that still executes the attempt (see
    /// ``CompletionStatements``); see ``RunStore/completeAttempts(_:)``.
    public func completeAttempts(_ completions: [AttemptCompletion]) async throws -> [RunRecord?] {
        if completions.isEmpty { return [] }
        return try await write { db in try CompletionStatements.complete(completions, db) }
    }

    /// Records progress in one savepoint of a group commit; see
    /// ``RunStore/updateProgress(runID:attempt:message:percent:now:)``.
    public func updateProgress(runID: RunID, attempt: Int, message: String?, percent: Double?, now: Date) async throws -> Bool {
        try await write { db in
            try db.cachedStatement(sql: Self.progressSQL)
                .execute(arguments: [message, percent, ColumnCoding.time(now), runID.rawValue, attempt])
            return db.changesCount > 0
        }
    }

    /// Cancels a run in one savepoint of a group commit, waking its waiting parent when it was
    /// the parent's last unfinished awaited child; see ``RunStore/cancelRun(id:now:)``.
    public func cancelRun(id: RunID, now: Date) async throws -> CancelResult {
        try await write { db in
            guard var run = try RunColumns.fetch(id, db) else { return .notFound }
            if run.status.isFinal { return .alreadyFinal(run) }
            if run.status == .executing {
                run.cancelRequestedAt = run.cancelRequestedAt ?? now
                run.updatedAt = now
                try db.cachedStatement(sql: Self.requestCancelSQL)
                    .execute(arguments: [ColumnCoding.time(now), ColumnCoding.time(now), run.sequence])
                return .requested(run)
            }
            run.markCanceled(at: now)
            try RunColumns.update(run, db)
            if run.awaited, let parentID = run.parentID {
                try WakeStatements.wakeParents([.init(parentID: parentID, time: now)], db)
            }
            return .canceled(run)
        }
    }
}
