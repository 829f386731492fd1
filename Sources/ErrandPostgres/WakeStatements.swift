import Errand
import Foundation
import PostgresNIO

/// The statements that make parked (`waiting`) runs due: a parent once its awaited children are
/// all final, a run whose token was resolved, a run whose wait target was met before it parked
/// (see "Parked runs and their wake-ups" on ``RunStore``).
///
/// A wake-up first locks the run to wake (`FOR UPDATE`, whatever its status) and only then, in a
/// separate statement, checks and updates it. A transaction that is parking that very run holds
/// its lock, so the wake-up waits for it to commit and then sees the run `waiting`; and a parking
/// transaction that comes second waits for the wake-up's commit and then sees the child final or
/// the token resolved when it checks its wait target. Checking in the locking statement would use
/// the snapshot from before the wait and lose the wake-up.
///
/// A token's waiters are found by their `waiting` steps, which a run writes before it parks; so
/// a run that parks on a token locks the token's row first (`FOR SHARE`, see
/// ``CompletionStatements``), and resolving it holds that row (`FOR UPDATE`) from its first
/// statement: one of the two waits for the other's commit. Both take the token before the runs.
enum WakeStatements {
    /// A parent to wake at `time` if it is `waiting` and none of its awaited children is unfinished.
    struct ParentWake {
        var parentID: RunID
        var time: Date
    }

    /// Wakes each parent whose awaited children are all final (a parent listed twice: its last
    /// time). Returns whether any parent was woken.
    @discardableResult
    static func wakeParents(_ wakes: [ParentWake], _ t: Tables, _ session: Session) async throws -> Bool {
        if wakes.isEmpty { return false }
        var times: [RunID: Date] = [:]
        var order: [RunID] = []
        for wake in wakes where times.updateValue(wake.time, forKey: wake.parentID) == nil {
            order.append(wake.parentID)
        }
        let ids = order.map(\.rawValue)
        try await session.execute("SELECT id FROM \(unescaped: t.runs) WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE")
        let woken = try await session.rows(
            """
            UPDATE \(unescaped: t.runs) AS p SET scheduled_at = v.at, updated_at = v.at
            FROM unnest(\(ids)::text[], \(order.map { ColumnCoding.time(times[$0]!) })::float8[]) AS v(id, at)
            WHERE p.id = v.id AND p.id = ANY(\(ids)) AND p.status = 'waiting'
                AND NOT EXISTS (
                    SELECT 1 FROM \(unescaped: t.runs) AS child
                    WHERE child.parent_id = v.id AND child.awaited AND child.status IN \(unescaped: Schema.unfinishedList)
                )
            RETURNING p.id
            """
        )
        return !woken.isEmpty
    }

    /// Makes due at `now` every `waiting` run that waits on the token: its own run and the runs
    /// with a `waiting` step for it (a run may wait on a token another run, or no run, made).
    /// Returns whether any was woken.
    @discardableResult
    static func wakeWaiters(on token: WaitToken, now: Date, _ t: Tables, _ session: Session) async throws -> Bool {
        let owner = token.runID?.rawValue ?? ""
        let ids = try await session.map(
            """
            SELECT id FROM \(unescaped: t.runs)
            WHERE id = \(owner)
                OR id IN (SELECT run_id FROM \(unescaped: t.steps) WHERE token_id = \(token.id) AND status = 'waiting')
            ORDER BY id FOR UPDATE
            """
        ) { try $0.string(0) }
        if ids.isEmpty { return false }
        let time = ColumnCoding.time(now)
        let woken = try await session.rows(
            """
            UPDATE \(unescaped: t.runs) SET scheduled_at = \(time), updated_at = \(time)
            WHERE id = ANY(\(ids)) AND status = 'waiting' RETURNING id
            """
        )
        return !woken.isEmpty
    }

    /// Whether what a parking run waits for has already happened: every child final (an unknown
    /// child counts as final), the token resolved (or unknown). `pending(sequence)` is the status a
    /// run has in changes not written yet, if any.
    static func isMet(_ target: WaitTarget, pending: (Int64) -> RunStatus?, _ t: Tables, _ session: Session) async throws -> Bool {
        switch target {
        case .children(let ids):
            if ids.isEmpty { return true }
            let statuses = try await session.map(
                "SELECT sequence, status FROM \(unescaped: t.runs) WHERE id = ANY(\(ids.map(\.rawValue)))"
            ) { row -> RunStatus? in
                if let status = pending(try row.int64(0)) { return status }
                return RunStatus(rawValue: try row.string(1))
            }
            return statuses.allSatisfy { $0?.isFinal ?? true }
        case .token(let id):
            let statuses = try await session.map("SELECT status FROM \(unescaped: t.waitTokens) WHERE id = \(id)") { try $0.string(0) }
            return statuses.first.map { $0 != WaitTokenStatus.pending.rawValue } ?? true
        }
    }
}
