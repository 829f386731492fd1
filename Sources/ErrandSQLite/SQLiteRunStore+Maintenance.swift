import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    private static let expirableSQL = """
        SELECT \(RunColumns.selection) FROM runs INDEXED BY runs_expiry
        WHERE expires_at IS NOT NULL AND status IN ('queued', 'delayed') AND expires_at <= ? AND attempt_count = 0
        ORDER BY sequence LIMIT ?
        """
    private static let prunableSQL = """
        SELECT sequence, id FROM runs INDEXED BY runs_finished
        WHERE \(Schema.finishedCondition) AND status = ? AND coalesce(completed_at, failed_at, canceled_at) < ?
        ORDER BY coalesce(completed_at, failed_at, canceled_at) LIMIT ?
        """
    private static let deleteRunSQL = "DELETE FROM runs WHERE sequence = ?"
    private static let deleteAttemptsSQL = "DELETE FROM attempts WHERE run_id = ?"

    /// Marks runs whose time to live passed before they started as `expired`, oldest first, in
    /// one savepoint of a group commit, waking the waiting parents whose last unfinished awaited
    /// children they were; see ``RunStore/expireRuns(now:limit:)``.
    public func expireRuns(now: Date, limit: Int) async throws -> [RunRecord] {
        guard limit > 0 else { return [] }
        return try await write { db in
            let runs = try RunColumns.records(
                db.cachedStatement(sql: Self.expirableSQL), arguments: [ColumnCoding.time(now), limit], attempts: true, db
            )
            let expired = try runs.map { run in
                var run = run
                run.markExpired(at: now)
                try RunColumns.update(run, db)
                return run
            }
            try WakeStatements.wakeParents(
                expired.compactMap { run in run.awaited ? run.parentID.map { .init(parentID: $0, time: now) } : nil }, db
            )
            return expired
        }
    }

    /// Deletes up to `limit` finished runs (and their attempts, steps, tokens and log lines) that finished before their
    /// status's cutoff, lowest sequence first among each status's earliest finished; see
    /// ``RunStore/pruneRuns(finishedBefore:limit:)``.
    public func pruneRuns(finishedBefore cutoffs: [RunStatus: Date], limit: Int) async throws -> Int {
        let cutoffs = cutoffs.filter { $0.key.isFinal }
        guard limit > 0, !cutoffs.isEmpty else { return 0 }
        return try await write { db in
            var victims: [(sequence: Int64, id: String)] = []
            let select = try db.cachedStatement(sql: Self.prunableSQL)
            for (status, cutoff) in cutoffs {
                let rows = try Row.fetchCursor(select, arguments: [status.rawValue, ColumnCoding.time(cutoff), limit])
                while let row = try rows.next() { victims.append((row[0], row[1])) }
            }
            victims.sort { $0.sequence < $1.sequence }
            let deleteRun = try db.cachedStatement(sql: Self.deleteRunSQL)
            let deleteAttempts = try db.cachedStatement(sql: Self.deleteAttemptsSQL)
            let deleteSteps = try db.cachedStatement(sql: StepColumns.deleteSQL)
            let deleteTokens = try db.cachedStatement(sql: TokenColumns.deleteSQL)
            let deleteLogs = try db.cachedStatement(sql: LogColumns.deleteSQL)
            for victim in victims.prefix(limit) {
                try deleteRun.execute(arguments: [victim.sequence])
                for statement in [deleteAttempts, deleteSteps, deleteTokens, deleteLogs] {
                    try statement.execute(arguments: [victim.id])
                }
            }
            return min(victims.count, limit)
        }
    }
}
