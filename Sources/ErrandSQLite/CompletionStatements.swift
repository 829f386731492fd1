import Errand
import Foundation
import GRDB

/// The statements of ``SQLiteRunStore/completeAttempts(_:)``.
///
/// Each completion reads its run (and, when it applies, the run's attempts) and applies
/// ``RunRecord/apply(_:)`` in memory, in order; the changed runs and attempts are then written
/// together, up to ``rowsPerStatement`` rows per `UPDATE … FROM (VALUES …)`, each with only the
/// columns `apply` changes: SQLite does its per-statement work once per statement rather than once
/// per run, and a run is never written whole. Rows are read with ``ColumnReader``, not GRDB rows,
/// and no statement uses `RETURNING` (SQLite gathers returned rows in a temporary b-tree, which
/// costs more than reading the row).
///
/// A run completed twice in one call (which only happens when the first completion leaves it
/// `executing`) is read back from the pending changes, never from the stale row, so completions
/// apply exactly one after another as in ``MemoryRunStore``; each row is written once, with its
/// final values.
///
/// Parked runs (see "Parked runs and their wake-ups" on ``RunStore``): a `waiting` completion whose
/// wait target is already met (read with the pending changes applied) is due at once; the waiting
/// parents of awaited children that became final are woken after the writes, by
/// ``WakeStatements/wakeParents(_:_:)``, in the same transaction. Runs without a parent cost no
/// statement for this.
enum CompletionStatements {
    /// Rows per `UPDATE … FROM (VALUES …)`.
    static let rowsPerStatement = 32

    /// The `runs` columns ``RunRecord/apply(_:)`` changes, after `sequence`, in `VALUES` order.
    private static let runColumns = [
        "status", "updated_at", "worker_id", "lease_expires_at", "execution_nanoseconds", "error_type", "error_name",
        "error_message", "error_stack", "completed_at", "failed_at", "canceled_at", "scheduled_at", "result", "result_note",
        "suspensions",
    ]

    /// The `attempts` columns an attempt's end changes, after `run_id` and `number`.
    private static let attemptColumns = ["ended_at", "outcome", "error_type", "error_name", "error_message", "error_stack"]

    private static func values(rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// `UPDATE runs … FROM (VALUES …)` for 0 … ``rowsPerStatement`` rows (index 0 unused).
    private static let updateRunsSQL: [String] = (0...rowsPerStatement).map { rows in
        let assignments = runColumns.enumerated().map { "\($1) = v.column\($0 + 2)" }.joined(separator: ", ")
        return """
            UPDATE runs SET \(assignments)
            FROM (VALUES \(values(rows: rows, columns: runColumns.count + 1))) AS v WHERE runs.sequence = v.column1
            """
    }

    /// `UPDATE attempts … FROM (VALUES …)` for 0 … ``rowsPerStatement`` rows (index 0 unused).
    private static let updateAttemptsSQL: [String] = (0...rowsPerStatement).map { rows in
        let assignments = attemptColumns.enumerated().map { "\($1) = v.column\($0 + 3)" }.joined(separator: ", ")
        return """
            UPDATE attempts SET \(assignments)
            FROM (VALUES \(values(rows: rows, columns: attemptColumns.count + 2))) AS v
            WHERE attempts.run_id = v.column1 AND attempts.number = v.column2
            """
    }

    private static let selectByIDSQL = "SELECT \(RunColumns.selection) FROM runs WHERE id = ?"

    /// Applies the completions in order and writes them; returns, for each, the updated run with
    /// its attempts, or `nil` when it did not apply.
    static func complete(_ completions: [AttemptCompletion], _ db: Database) throws -> [RunRecord?] {
        var results: [RunRecord?] = []
        var latest: [Int64: Int] = [:]  // sequence → index in `results` of the run's latest state
        var changedRuns: [Int64] = []  // in the order first changed
        var endedAttempts: [AttemptKey] = []
        var repeated = false  // whether a run was completed twice
        var endedChildren: [EndedChild] = []
        results.reserveCapacity(completions.count)
        latest.reserveCapacity(completions.count)
        changedRuns.reserveCapacity(completions.count)
        endedAttempts.reserveCapacity(completions.count)
        let select = try db.cachedStatement(sql: selectByIDSQL)
        let selectAttempts = try db.cachedStatement(sql: AttemptColumns.selectSQL)
        for completion in completions {
            var binder = StatementBinder(select, db)
            binder.bind(completion.runID.rawValue)
            guard let stored = try binder.firstRow(RunColumns.record) else {
                results.append(nil)
                continue
            }
            let changed = latest[stored.sequence]
            var run = changed.map { results[$0]! } ?? stored
            guard completion.applies(to: run) else {
                results.append(nil)
                continue
            }
            if changed == nil {
                run.attempts = try AttemptColumns.attempts(of: run.id, db, statement: selectAttempts)
                changedRuns.append(run.sequence)
            } else {
                repeated = true
            }
            run.apply(completion)
            if run.status == .waiting, let target = completion.waitingFor,
               try WakeStatements.isMet(target, pending: { latest[$0].map { results[$0]!.status } }, db) {
                run.scheduledAt = completion.endedAt
            }
            if run.awaited, run.status.isFinal, let parentID = run.parentID {
                endedChildren.append(EndedChild(parentID: parentID, time: completion.endedAt, index: results.count))
            }
            latest[run.sequence] = results.count
            endedAttempts.append(AttemptKey(sequence: run.sequence, number: completion.attempt))
            results.append(run)
        }
        let final = { (sequence: Int64) in results[latest[sequence]!]! }
        try writeRuns(changedRuns.map(final), db)
        try writeAttempts(repeated ? unique(endedAttempts) : endedAttempts, of: final, db)
        if !endedChildren.isEmpty { try wakeParents(of: endedChildren, results: results, db) }
        return results
    }

    /// An awaited child that became final: completion `index` of the call ended it at `time`.
    private struct EndedChild {
        var parentID: RunID
        var time: Date
        var index: Int
    }

    /// Wakes the parents of the awaited children the call ended, as if each child's end woke its
    /// parent at once, as ``MemoryRunStore`` does it: a child's end only wakes a parent that is
    /// `waiting` then, so not one that completes an attempt later in the same call (it was still
    /// executing); a parent is `waiting` then exactly when it is now (completions only apply to
    /// executing runs); and its awaited children are all final when the last of them ends, so after
    /// the writes is when to look.
    private static func wakeParents(of ended: [EndedChild], results: [RunRecord?], _ db: Database) throws {
        var lastCompletion: [RunID: Int] = [:]
        for (index, run) in results.enumerated() {
            if let run { lastCompletion[run.id] = index }
        }
        let wakes = ended.compactMap { child -> WakeStatements.ParentWake? in
            if let parentIndex = lastCompletion[child.parentID], parentIndex > child.index { return nil }
            return WakeStatements.ParentWake(parentID: child.parentID, time: child.time)
        }
        try WakeStatements.wakeParents(wakes, db)
    }

    /// An attempt of a run being completed.
    private struct AttemptKey: Hashable {
        var sequence: Int64
        var number: Int
    }

    private static func unique(_ keys: [AttemptKey]) -> [AttemptKey] {
        var seen = Set<AttemptKey>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// Writes the columns `apply` changes of each run.
    private static func writeRuns(_ runs: [RunRecord], _ db: Database) throws {
        var start = 0
        while start < runs.count {
            let chunk = runs[start ..< min(start + rowsPerStatement, runs.count)]
            var binder = StatementBinder(try db.cachedStatement(sql: updateRunsSQL[chunk.count]), db)
            for run in chunk {
                binder.bind(run.sequence)
                binder.bind(run.status.rawValue)
                binder.bind(run.updatedAt)
                binder.bind(run.workerID)
                binder.bind(run.leaseExpiresAt)
                binder.bind(ColumnCoding.nanoseconds(run.executionTime))
                binder.bind(run.error)
                binder.bind(run.completedAt)
                binder.bind(run.failedAt)
                binder.bind(run.canceledAt)
                binder.bind(run.scheduledAt)
                binder.bind(run.result)
                binder.bind(run.resultNote)
                binder.bind(run.suspensions)
            }
            try binder.execute()
            start += chunk.count
        }
    }

    /// Writes how each ended attempt ended, from its run's final state (`ended` holds each attempt
    /// once; an attempt the run does not have is not written, as an `UPDATE` would match no row).
    private static func writeAttempts(_ ended: [AttemptKey], of run: (Int64) -> RunRecord, _ db: Database) throws {
        var rows: [(runID: String, attempt: AttemptRecord)] = []
        rows.reserveCapacity(ended.count)
        for key in ended {
            let run = run(key.sequence)
            guard let attempt = run.attempts.last(where: { $0.number == key.number }) else { continue }
            rows.append((run.id.rawValue, attempt))
        }
        try StatementBinder.execute(rows, rowsPerStatement: rowsPerStatement, sql: { updateAttemptsSQL[$0] }, db) { binder, row in
            binder.bind(row.runID)
            binder.bind(row.attempt.number)
            binder.bind(row.attempt.endedAt)
            binder.bind(row.attempt.outcome?.rawValue)
            binder.bind(row.attempt.error)
        }
    }
}
