import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    /// Inserts runs in one savepoint of a group commit; see ``RunStore/insertRuns(_:now:)``.
    ///
    /// Runs without an idempotency key are written 32 rows per prepared `INSERT`; a keyed run
    /// first looks its key up through the `runs_idempotency` index (releasing an expired key from
    /// its old run), so runs are always written in the order given and get increasing sequences.
    /// A run of a schedule occurrence that already has a run (the `runs_occurrence` index) is not
    /// inserted: its result carries the existing run's id.
    public func insertRuns(_ runs: [NewRun], now: Date) async throws -> [InsertResult] {
        if runs.isEmpty { return [] }
        return try await write { db in try Self.insertRuns(runs, now: now, db) }
    }

    /// The body of ``insertRuns(_:now:)`` inside the current transaction, shared with
    /// ``fireSchedule(_:)``.
    static func insertRuns(_ runs: [NewRun], now: Date, _ db: Database) throws -> [InsertResult] {
        var results: [InsertResult] = []
        results.reserveCapacity(runs.count)
        var pending: [NewRun] = []  // runs without a key, not inserted yet
        for run in runs {
            let occurrence = run.scheduleID.flatMap { id in run.occurrenceAt.map { (id, $0) } }
            if run.idempotencyKey != nil || occurrence != nil {
                // Keyed runs go one by one, in order: a later run may carry the same key.
                try insert(pending, now: now, db)
                pending.removeAll(keepingCapacity: true)
                if let (scheduleID, occurrenceAt) = occurrence,
                   let existing = try existingOccurrence(scheduleID, at: occurrenceAt, db) {
                    results.append(InsertResult(id: existing, created: false))
                    continue
                }
                if let key = run.idempotencyKey, let existing = try claimKey(key, of: run.task, now: now, db) {
                    results.append(InsertResult(id: existing, created: false))
                    continue
                }
                try insert([run], now: now, db)
            } else {
                pending.append(run)
            }
            results.append(InsertResult(id: run.id, created: true))
        }
        try insert(pending, now: now, db)
        return results
    }

    private static let findOccurrenceSQL = "SELECT id FROM runs WHERE schedule_id = ? AND occurrence_at = ?"

    /// The run of a schedule occurrence, through the `runs_occurrence` index, or `nil`.
    private static func existingOccurrence(_ scheduleID: String, at occurrenceAt: Date, _ db: Database) throws -> RunID? {
        try String.fetchOne(db.cachedStatement(sql: findOccurrenceSQL), arguments: [scheduleID, ColumnCoding.time(occurrenceAt)])
            .map { RunID($0) }
    }

    /// Runs per multi-row `INSERT`: one statement writes this many rows, which saves SQLite
    /// opening the table's and indexes' cursors for every row.
    private static let rowsPerStatement = 32

    /// `INSERT INTO runs` for `rows` rows, with the columns a new run sets; the others start
    /// `NULL` or zero, as `NewRun.record(sequence:now:)` makes them.
    private static func insertSQL(rows: Int) -> String {
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return """
            INSERT INTO runs (
                id, task, queue, concurrency_key, status, priority, payload, tags, idempotency_key,
                idempotency_expires_at, created_at, scheduled_at, updated_at, expires_at, attempt_count, max_attempts,
                execution_nanoseconds, replay_of, parent_id, schedule_id, occurrence_at, depth, awaited,
                origin_kind, origin_ref, event_id, required_labels, cost
            ) VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """
    }

    private static let singleInsertSQL = insertSQL(rows: 1)
    private static let multiInsertSQL = insertSQL(rows: rowsPerStatement)

    private static let findKeySQL = "SELECT sequence, id, idempotency_expires_at FROM runs WHERE task = ? AND idempotency_key = ?"
    private static let releaseKeySQL = "UPDATE runs SET idempotency_key = NULL WHERE sequence = ?"

    /// The run holding a live idempotency key, or `nil` when the key is free (an expired key is
    /// released from its old run first).
    private static func claimKey(_ key: String, of task: String, now: Date, _ db: Database) throws -> RunID? {
        guard let existing = try Row.fetchOne(db.cachedStatement(sql: findKeySQL), arguments: [task, key]) else { return nil }
        if let expiry = ColumnCoding.optionalDate(existing[2] as Double?), expiry <= now {
            try db.cachedStatement(sql: releaseKeySQL).execute(arguments: [existing[0] as Int64])
            return nil
        }
        return RunID(existing[1] as String)
    }

    /// Inserts runs in order: full chunks with the multi-row statement, the rest one by one.
    private static func insert(_ runs: [NewRun], now: Date, _ db: Database) throws {
        var start = 0
        if runs.count >= rowsPerStatement {
            let multi = try db.cachedStatement(sql: multiInsertSQL)
            while runs.count - start >= rowsPerStatement {
                var binder = StatementBinder(multi, db)
                for run in runs[start ..< start + rowsPerStatement] { bind(run, now: now, to: &binder) }
                try binder.execute()
                start += rowsPerStatement
            }
        }
        if start < runs.count {
            let single = try db.cachedStatement(sql: singleInsertSQL)
            for run in runs[start...] {
                var binder = StatementBinder(single, db)
                bind(run, now: now, to: &binder)
                try binder.execute()
            }
        }
    }

    private static func bind(_ run: NewRun, now: Date, to binder: inout StatementBinder) {
        binder.bind(run.id.rawValue)
        binder.bind(run.task)
        binder.bind(run.queue)
        binder.bind(run.concurrencyKey)
        binder.bind((run.scheduledAt > now ? RunStatus.delayed : .queued).rawValue)
        binder.bind(run.priority)
        binder.bind(run.payload)
        binder.bind(ColumnCoding.tags(run.tags))
        binder.bind(run.idempotencyKey)
        binder.bind(run.idempotencyExpiresAt)
        binder.bind(now)
        binder.bind(run.scheduledAt)
        binder.bind(now)
        binder.bind(run.expiresAt)
        binder.bind(run.maxAttempts)
        binder.bind(run.replayOf?.rawValue)
        binder.bind(run.parentID?.rawValue)
        binder.bind(run.scheduleID)
        binder.bind(run.occurrenceAt)
        binder.bind(run.depth)
        binder.bind(run.awaited)
        binder.bind(run.origin.kind.rawValue)
        binder.bind(run.origin.reference)
        binder.bind(run.eventID)
        binder.bind(ColumnCoding.labels(run.requiredLabels))
        binder.bind(run.cost)
    }
}
