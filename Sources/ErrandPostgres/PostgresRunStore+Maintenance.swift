import Errand
import Foundation

extension PostgresRunStore {
    /// Marks runs whose time to live passed before they started as `expired`, oldest first, in
    /// one transaction (rows other transactions hold are left for the next call), waking the
    /// waiting parents whose last unfinished awaited children they were; see
    /// ``RunStore/expireRuns(now:limit:)``.
    public func expireRuns(now: Date, limit: Int) async throws -> [RunRecord] {
        guard limit > 0 else { return [] }
        return try await transaction { [self] session in
            let runs = try await RunColumns.records(
                """
                SELECT \(unescaped: RunColumns.selection) FROM \(unescaped: tables.runs)
                WHERE expires_at IS NOT NULL AND status IN ('queued', 'delayed') AND expires_at <= \(ColumnCoding.time(now))
                    AND attempt_count = 0
                ORDER BY sequence LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                attempts: true, tables, session
            )
            var expired: [RunRecord] = []
            for var run in runs {
                run.markExpired(at: now)
                try await RunColumns.update(run, tables, session)
                expired.append(run)
            }
            let wakes = expired.compactMap { run in run.awaited ? run.parentID.map { WakeStatements.ParentWake(parentID: $0, time: now) } : nil }
            if try await WakeStatements.wakeParents(wakes, tables, session) { try await ChangeNotifier.notify(tables, session) }
            return expired
        }
    }

    /// Deletes up to `limit` finished runs (with their attempts, steps, tokens and log lines)
    /// that finished before their status's cutoff, lowest sequence first among each status's
    /// earliest finished, in one transaction; see ``RunStore/pruneRuns(finishedBefore:limit:)``.
    public func pruneRuns(finishedBefore cutoffs: [RunStatus: Date], limit: Int) async throws -> Int {
        let cutoffs = cutoffs.filter { $0.key.isFinal }
        guard limit > 0, !cutoffs.isEmpty else { return 0 }
        return try await transaction { [self] session in
            var victims: [(sequence: Int64, id: String)] = []
            for (status, cutoff) in cutoffs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                victims += try await session.map(
                    """
                    SELECT sequence, id FROM \(unescaped: tables.runs)
                    WHERE status = \(status.rawValue) AND coalesce(completed_at, failed_at, canceled_at) < \(ColumnCoding.time(cutoff))
                    ORDER BY coalesce(completed_at, failed_at, canceled_at) LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """
                ) { row in (try row.int64(0), try row.string(1)) }
            }
            victims.sort { $0.sequence < $1.sequence }
            let chosen = victims.prefix(limit)
            let ids = chosen.map(\.id)
            try await session.execute("DELETE FROM \(unescaped: tables.runs) WHERE sequence = ANY(\(chosen.map(\.sequence)))")
            try await session.execute("DELETE FROM \(unescaped: tables.attempts) WHERE run_id = ANY(\(ids))")
            try await session.execute("DELETE FROM \(unescaped: tables.steps) WHERE run_id = ANY(\(ids))")
            try await session.execute("DELETE FROM \(unescaped: tables.waitTokens) WHERE run_id = ANY(\(ids))")
            try await session.execute("DELETE FROM \(unescaped: tables.runLogs) WHERE run_id = ANY(\(ids))")
            return chosen.count
        }
    }
}
