import Errand
import Foundation
import GRDB

/// The statements that make parked (`waiting`) runs due: a parent once its awaited children are
/// all final, a run whose token was resolved, a run whose wait target was met before it parked
/// (see "Parked runs and their wake-ups" on ``RunStore``).
///
/// Every transition of a run to a final status calls ``wakeParents(_:_:)`` in its own
/// transaction, with the parents of the awaited children it finished; runs without a parent cost
/// nothing.
enum WakeStatements {
    /// A parent to wake at `time` if it is `waiting` and none of its awaited children is unfinished.
    struct ParentWake {
        var parentID: RunID
        var time: Date
    }

    /// Rows per ``wakeParentsSQL`` statement.
    static let rowsPerStatement = 32

    /// The statuses a run is unfinished in, for `IN (…)`.
    private static let unfinishedList = RunStatus.allCases.filter { !$0.isFinal }.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Wakes 1 … ``rowsPerStatement`` parents (index 0 unused): each `(id, time)` row makes its run
    /// due at `time` when it is `waiting` and no awaited child of it is unfinished (`runs_parent`).
    static let wakeParentsSQL: [String] = (0...rowsPerStatement).map { rows in
        let values = Array(repeating: "(?, ?)", count: max(rows, 1)).joined(separator: ", ")
        return """
            UPDATE runs SET scheduled_at = v.column2, updated_at = v.column2
            FROM (VALUES \(values)) AS v
            WHERE runs.id = v.column1 AND runs.status = 'waiting'
                AND NOT EXISTS (
                    SELECT 1 FROM runs AS child
                    WHERE child.parent_id = v.column1 AND child.awaited = 1 AND child.status IN (\(unfinishedList))
                )
            """
    }

    /// Makes due the waiting runs that wait on a token: its own run (the second `?`, `NULL` for a
    /// token of no run) and those with a waiting step for it (by `steps_waiting_token`), each
    /// found by id (an `OR`, or an indexable status term, would read every waiting run instead:
    /// the `+` keeps the planner off `runs_due`).
    static let wakeWaitersSQL = """
        UPDATE runs SET scheduled_at = ?1, updated_at = ?1
        WHERE id IN (SELECT ?2 UNION ALL SELECT run_id FROM steps WHERE token_id = ?3 AND status = 'waiting') AND +status = 'waiting'
        """

    /// The status of the listed runs, by sequence.
    static let statusesSQL = "SELECT sequence, status FROM runs WHERE id IN (SELECT value FROM json_each(?))"

    /// The token's status (`NULL` for an unknown token).
    static let tokenStatusSQL = "SELECT status FROM wait_tokens WHERE id = ?"

    /// Wakes each parent whose awaited children are all final (a parent listed twice: its last
    /// time), in as few statements as it takes.
    static func wakeParents(_ wakes: [ParentWake], _ db: Database) throws {
        if wakes.isEmpty { return }
        var times: [RunID: Date] = [:]
        var order: [RunID] = []
        for wake in wakes {
            if times.updateValue(wake.time, forKey: wake.parentID) == nil { order.append(wake.parentID) }
        }
        try StatementBinder.execute(order, rowsPerStatement: rowsPerStatement, sql: { wakeParentsSQL[$0] }, db) { binder, id in
            binder.bind(id.rawValue)
            binder.bind(times[id])
        }
    }

    /// Makes due, at `now`, every `waiting` run that waits on the token: its own run and those
    /// with a `waiting` step for it (a run may wait on a token that another run, or no run, made).
    static func wakeWaiters(on token: WaitToken, now: Date, _ db: Database) throws {
        var binder = StatementBinder(try db.cachedStatement(sql: wakeWaitersSQL), db)
        binder.bind(now)
        binder.bind(token.runID?.rawValue)
        binder.bind(token.id)
        try binder.execute()
    }

    /// Whether what a parking run waits for has already happened: every child final (an unknown
    /// child counts as final), the token resolved (or unknown). `pending(sequence)` is the status a
    /// run has in changes not written yet, if any.
    static func isMet(_ target: WaitTarget, pending: (Int64) -> RunStatus?, _ db: Database) throws -> Bool {
        switch target {
        case .children(let ids):
            if ids.isEmpty { return true }
            var binder = StatementBinder(try db.cachedStatement(sql: statusesSQL), db)
            binder.bind(ColumnCoding.jsonArray(ids.map(\.rawValue)))
            var met = true
            try binder.readRows { row in
                let status = pending(row.int64(0)) ?? RunStatus(rawValue: row.string(1))
                met = status?.isFinal ?? true
                return met
            }
            return met
        case .token(let id):
            var binder = StatementBinder(try db.cachedStatement(sql: tokenStatusSQL), db)
            binder.bind(id)
            let status = try binder.firstRow { $0.string(0) }
            return status.map { $0 != WaitTokenStatus.pending.rawValue } ?? true
        }
    }
}
