import Errand
import Foundation
import NIOCore
import PostgresNIO

/// The statements of ``PostgresRunStore/insertRuns(_:now:)``, shared by publishing events and
/// firing schedules.
///
/// Runs without an idempotency key or schedule occurrence are written up to ``rowsPerStatement``
/// with one `INSERT … SELECT … FROM unnest(…)`, one array per column, so the statement's text and
/// its 26 parameters are the same whatever the number of runs. A keyed run (or a run of a
/// schedule occurrence) is inserted alone with `ON CONFLICT DO NOTHING`, which makes PostgreSQL's
/// unique indexes (`runs_idempotency`, `runs_occurrence`) decide between racing transactions, in
/// this process or another: the loser waits for the winner's commit, inserts nothing and reads the
/// winner's run. An expired key is released from its old run and the insert tried again. Runs are
/// written in the order given, so their sequences increase in that order.
enum InsertStatements {
    /// Runs per `INSERT` of runs without keys.
    static let rowsPerStatement = 5_000

    /// Up to how many runs an `INSERT` of runs without keys takes a `VALUES` list, not arrays.
    static let valuesRowsAtMost = 4

    /// The columns a new run sets; the others start `NULL` or at their defaults, as
    /// `NewRun.record(sequence:now:)` makes them.
    static let columns = """
        id, task, queue, concurrency_key, status, priority, payload, tags, idempotency_key, idempotency_expires_at, \
        created_at, scheduled_at, updated_at, expires_at, max_attempts, replay_of, parent_id, schedule_id, occurrence_at, \
        depth, awaited, origin_kind, origin_ref, event_id, required_labels, cost
        """

    /// Inserts the runs inside the current transaction; returns one result per run, in order, and
    /// whether any created run is due at `now` (so the caller can notify).
    static func insert(_ runs: [NewRun], now: Date, _ tables: Tables, _ session: Session) async throws -> (results: [InsertResult], due: Bool) {
        var results: [InsertResult] = []
        results.reserveCapacity(runs.count)
        var pending: [NewRun] = []
        var due = false
        for run in runs {
            let keyed = run.idempotencyKey != nil || (run.scheduleID != nil && run.occurrenceAt != nil)
            if keyed {
                try await insertPlain(pending, now: now, tables, session)
                pending.removeAll(keepingCapacity: true)
                let result = try await insertKeyed(run, now: now, tables, session)
                if result.created, run.scheduledAt <= now { due = true }
                results.append(result)
            } else {
                pending.append(run)
                if run.scheduledAt <= now { due = true }
                results.append(InsertResult(id: run.id, created: true))
            }
        }
        try await insertPlain(pending, now: now, tables, session)
        return (results, due)
    }

    /// Inserts the runs inside the current transaction (``insert(_:now:_:_:)``) and, when one is
    /// due at once, sends the coalesced notification, delivered when the transaction commits.
    static func insertThenNotify(_ runs: [NewRun], now: Date, _ tables: Tables, _ session: Session) async throws -> [InsertResult] {
        let (results, due) = try await insert(runs, now: now, tables, session)
        if due { try await ChangeNotifier.notify(tables, session) }
        return results
    }

    /// Whether ``insertNotifying(_:now:_:_:)`` can insert `runs`: up to ``rowsPerStatement``
    /// runs, none with an idempotency key or a schedule occurrence.
    static func fitsOneStatement(_ runs: [NewRun]) -> Bool {
        runs.count <= rowsPerStatement && runs.allSatisfy { $0.idempotencyKey == nil && ($0.scheduleID == nil || $0.occurrenceAt == nil) }
    }

    /// Inserts runs without keys with one statement, which is a transaction of its own: the
    /// multi-row `INSERT` and, when a run is due at once, the coalesced notification of
    /// ``ChangeNotifier`` (a data-modifying `WITH`). One round trip, no `BEGIN`/`COMMIT`.
    static func insertNotifying(_ runs: [NewRun], now: Date, _ t: Tables, _ session: Session) async throws -> [InsertResult] {
        var binder = Binder()
        let rows = try source(runs, now: now, &binder)
        let channel = binder.add(t.channel, "text")
        let key = binder.add(Int64(ChangeNotifier.notifyLockKey), "int4")
        let sql = """
            WITH inserted AS (INSERT INTO \(t.runs) (\(columns)) \(rows) RETURNING status)
            SELECT pg_notify(\(channel), '') FROM (SELECT 1 FROM inserted WHERE status = 'queued' LIMIT 1) AS due
            WHERE pg_try_advisory_xact_lock(\(key), hashtext(\(channel)))
            """
        _ = try await session.hotRows(binder.query(sql))
        return runs.map { InsertResult(id: $0.id, created: true) }
    }

    /// Inserts runs without keys, ``rowsPerStatement`` per statement, in order.
    private static func insertPlain(_ runs: [NewRun], now: Date, _ tables: Tables, _ session: Session) async throws {
        var start = 0
        while start < runs.count {
            let chunk = runs[start ..< min(start + rowsPerStatement, runs.count)]
            var binder = Binder()
            let rows = try source(chunk, now: now, &binder)
            _ = try await session.hotRows(binder.query("INSERT INTO \(tables.runs) (\(columns)) \(rows)"))
            start += chunk.count
        }
    }

    /// Inserts one run carrying an idempotency key or a schedule occurrence, or finds the run that
    /// holds them.
    private static func insertKeyed(_ run: NewRun, now: Date, _ tables: Tables, _ session: Session) async throws -> InsertResult {
        for _ in 0..<3 {
            var binder = Binder()
            let values = try row(run, now: now, &binder)
            let inserted = try await session.rows(
                binder.query("INSERT INTO \(tables.runs) (\(columns)) VALUES \(values) ON CONFLICT DO NOTHING RETURNING sequence")
            )
            if !inserted.isEmpty { return InsertResult(id: run.id, created: true) }
            if let scheduleID = run.scheduleID, let occurrenceAt = run.occurrenceAt {
                let existing = try await session.map(
                    """
                    SELECT id FROM \(unescaped: tables.runs)
                    WHERE schedule_id = \(scheduleID) AND occurrence_at = \(ColumnCoding.time(occurrenceAt))
                    """
                ) { try $0.string(0) }
                if let id = existing.first { return InsertResult(id: RunID(id), created: false) }
            }
            if let key = run.idempotencyKey {
                let holders = try await session.map(
                    """
                    SELECT sequence, id, idempotency_expires_at FROM \(unescaped: tables.runs)
                    WHERE task = \(run.task) AND idempotency_key = \(key) FOR UPDATE
                    """
                ) { row in (try row.int64(0), try row.string(1), try row.optionalDate(2)) }
                if let (sequence, id, expiry) = holders.first {
                    guard let expiry, expiry <= now else { return InsertResult(id: RunID(id), created: false) }
                    try await session.execute("UPDATE \(unescaped: tables.runs) SET idempotency_key = NULL WHERE sequence = \(sequence)")
                    continue
                }
            }
            // The conflict was on the run's id (or its key holder vanished meanwhile): try again.
            let sameID = try await session.rows("SELECT 1 FROM \(unescaped: tables.runs) WHERE id = \(run.id.rawValue)")
            if !sameID.isEmpty {
                throw ErrandError.invalidArgument(field: "id", value: run.id.rawValue, allowed: "an id no stored run has")
            }
        }
        throw PostgresStoreError(message: "run \(run.id) of task \(run.task) could not be inserted: its idempotency key or occurrence kept changing hands")
    }

    /// The rows of ``columns`` for `runs`, in order: a `SELECT` from one array per column bound into
    /// `binder`. PostgreSQL arrays cannot be ragged, so each run's tags and labels travel as a JSON
    /// array (`NULL` when empty) and are turned back into `text[]` here. Up to
    /// ``valuesRowsAtMost`` runs go as a `VALUES` list instead: for one run that is the cheaper
    /// statement.
    private static func source(_ runs: some Collection<NewRun>, now: Date, _ b: inout Binder) throws -> String {
        if runs.count <= valuesRowsAtMost {
            return "VALUES " + (try runs.map { try row($0, now: now, &b) }.joined(separator: ", "))
        }
        func json(_ strings: [String]?) throws -> String? {
            guard let strings, !strings.isEmpty else { return nil }
            return String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
        }
        let arrays = [
            b.add(runs.map(\.id.rawValue), "text[]"),
            b.add(runs.map(\.task), "text[]"),
            b.add(runs.map(\.queue), "text[]"),
            b.add(NullableArray(runs.map(\.concurrencyKey)), "text[]"),
            b.add(runs.map { ($0.scheduledAt > now ? RunStatus.delayed : .queued).rawValue }, "text[]"),
            b.add(runs.map(\.priority), "int8[]"),
            b.add(runs.map { ByteBuffer(bytes: $0.payload) }, "bytea[]"),
            b.add(NullableArray(try runs.map { try json($0.tags) }), "text[]"),
            b.add(NullableArray(runs.map(\.idempotencyKey)), "text[]"),
            b.add(NullableArray(runs.map { ColumnCoding.optionalTime($0.idempotencyExpiresAt) }), "float8[]"),
            b.add(runs.map { ColumnCoding.time($0.scheduledAt) }, "float8[]"),
            b.add(NullableArray(runs.map { ColumnCoding.optionalTime($0.expiresAt) }), "float8[]"),
            b.add(runs.map(\.maxAttempts), "int8[]"),
            b.add(NullableArray(runs.map { $0.replayOf?.rawValue }), "text[]"),
            b.add(NullableArray(runs.map { $0.parentID?.rawValue }), "text[]"),
            b.add(NullableArray(runs.map(\.scheduleID)), "text[]"),
            b.add(NullableArray(runs.map { ColumnCoding.optionalTime($0.occurrenceAt) }), "float8[]"),
            b.add(runs.map(\.depth), "int8[]"),
            b.add(runs.map(\.awaited), "bool[]"),
            b.add(runs.map(\.origin.kind.rawValue), "text[]"),
            b.add(NullableArray(runs.map(\.origin.reference)), "text[]"),
            b.add(NullableArray(runs.map(\.eventID)), "text[]"),
            b.add(NullableArray(try runs.map { try json(ColumnCoding.labels($0.requiredLabels)) }), "text[]"),
            b.add(runs.map(\.cost), "int8[]"),
        ]
        let created = b.add(ColumnCoding.time(now), "float8")
        func strings(_ column: String, empty: String) -> String {
            "CASE WHEN v.\(column) IS NULL THEN \(empty) ELSE ARRAY(SELECT jsonb_array_elements_text(v.\(column)::jsonb)) END"
        }
        return """
            SELECT v.id, v.task, v.queue, v.concurrency_key, v.status, v.priority, v.payload, \(strings("tags", empty: "'{}'::text[]")),
                v.idempotency_key, v.idempotency_expires_at, \(created), v.scheduled_at, \(created), v.expires_at, v.max_attempts,
                v.replay_of, v.parent_id, v.schedule_id, v.occurrence_at, v.depth, v.awaited, v.origin_kind, v.origin_ref,
                v.event_id, \(strings("required_labels", empty: "NULL::text[]")), v.cost
            FROM unnest(\(arrays.joined(separator: ", "))) WITH ORDINALITY AS v(
                id, task, queue, concurrency_key, status, priority, payload, tags, idempotency_key, idempotency_expires_at,
                scheduled_at, expires_at, max_attempts, replay_of, parent_id, schedule_id, occurrence_at, depth, awaited,
                origin_kind, origin_ref, event_id, required_labels, cost, ordinality
            )
            ORDER BY v.ordinality
            """
    }

    /// One row of ``columns`` values for `run`, bound into `binder`.
    private static func row(_ run: NewRun, now: Date, _ b: inout Binder) throws -> String {
        let values = [
            b.add(run.id.rawValue, "text"),
            b.add(run.task, "text"),
            b.add(run.queue, "text"),
            b.add(run.concurrencyKey, "text"),
            b.add((run.scheduledAt > now ? RunStatus.delayed : .queued).rawValue, "text"),
            b.add(run.priority, "int8"),
            try b.add(run.payload, "bytea"),
            b.add(run.tags, "text[]"),
            b.add(run.idempotencyKey, "text"),
            b.add(ColumnCoding.optionalTime(run.idempotencyExpiresAt), "float8"),
            b.add(ColumnCoding.time(now), "float8"),
            b.add(ColumnCoding.time(run.scheduledAt), "float8"),
            b.add(ColumnCoding.time(now), "float8"),
            b.add(ColumnCoding.optionalTime(run.expiresAt), "float8"),
            b.add(run.maxAttempts, "int8"),
            b.add(run.replayOf?.rawValue, "text"),
            b.add(run.parentID?.rawValue, "text"),
            b.add(run.scheduleID, "text"),
            b.add(ColumnCoding.optionalTime(run.occurrenceAt), "float8"),
            b.add(run.depth, "int8"),
            b.add(run.awaited, "bool"),
            b.add(run.origin.kind.rawValue, "text"),
            b.add(run.origin.reference, "text"),
            b.add(run.eventID, "text"),
            b.add(ColumnCoding.labels(run.requiredLabels), "text[]"),
            b.add(run.cost, "int8"),
        ]
        return "(" + values.joined(separator: ", ") + ")"
    }
}
