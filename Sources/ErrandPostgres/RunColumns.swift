import Errand
import Foundation
import PostgresNIO

/// The columns of the `runs` table, in the one order every statement selects them, and the
/// mapping between a row and a ``RunRecord``.
enum RunColumns {
    /// Every column, `sequence` first.
    static let names = [
        "sequence", "id", "task", "queue", "concurrency_key", "status", "priority", "payload", "tags",
        "idempotency_key", "idempotency_expires_at", "created_at", "scheduled_at", "submitted_at",
        "completed_at", "failed_at", "canceled_at", "updated_at", "expires_at", "attempt_count",
        "max_attempts", "execution_nanoseconds", "progress_message", "progress_percent", "result",
        "result_note", "error_type", "error_name", "error_message", "error_stack", "worker_id",
        "lease_expires_at", "cancel_requested_at", "replay_of", "parent_id", "schedule_id", "occurrence_at",
        "depth", "awaited", "suspensions", "origin_kind", "origin_ref", "event_id", "required_labels", "cost",
    ]

    /// The column list for `SELECT`.
    static let selection = names.joined(separator: ", ")

    /// The column list qualified with a table alias (for statements that join another row source
    /// with same-named columns).
    static func selection(qualifiedBy alias: String) -> String {
        names.map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The record in a row selected with ``selection`` (attempts and steps left empty).
    static func record(_ row: RowReader) throws -> RunRecord {
        let statusText = try row.string(5)
        guard let status = RunStatus(rawValue: statusText) else {
            throw PostgresStoreError(message: "unknown run status \(statusText) in the runs table")
        }
        func runID(_ index: Int) throws -> RunID? { try row.optionalString(index).map { RunID($0) } }
        return RunRecord(
            id: RunID(try row.string(1)), sequence: try row.int64(0), task: try row.string(2), queue: try row.string(3),
            concurrencyKey: try row.optionalString(4), status: status, priority: try row.int(6), payload: try row.data(7),
            tags: try row.strings(8), idempotencyKey: try row.optionalString(9),
            idempotencyExpiresAt: try row.optionalDate(10), createdAt: try row.date(11), scheduledAt: try row.date(12),
            submittedAt: try row.optionalDate(13), completedAt: try row.optionalDate(14), failedAt: try row.optionalDate(15),
            canceledAt: try row.optionalDate(16), updatedAt: try row.date(17), expiresAt: try row.optionalDate(18),
            attemptCount: try row.int(19), maxAttempts: try row.int(20),
            executionTime: .nanoseconds(try row.int64(21)), progressMessage: try row.optionalString(22),
            progressPercent: try row.optionalDouble(23), result: try row.optionalData(24), resultNote: try row.optionalString(25),
            error: try row.error(26), workerID: try row.optionalString(30), leaseExpiresAt: try row.optionalDate(31),
            cancelRequestedAt: try row.optionalDate(32), replayOf: try runID(33), parentID: try runID(34),
            scheduleID: try row.optionalString(35), occurrenceAt: try row.optionalDate(36), depth: try row.int(37),
            awaited: try row.bool(38), suspensions: try row.int(39), origin: try row.origin(40),
            eventID: try row.optionalString(42), requiredLabels: try row.strings(43), cost: try row.int(44)
        )
    }

    /// The run with `id` and its attempts, or `nil`; `lock` takes its row lock (`FOR UPDATE`).
    static func fetch(_ id: RunID, lock: Bool = false, _ tables: Tables, _ session: Session) async throws -> RunRecord? {
        let sql = "SELECT \(selection) FROM \(tables.runs) WHERE id = $1\(lock ? " FOR UPDATE" : "")"
        var binds = PostgresBindings()
        binds.append(id.rawValue)
        guard var run = try await session.map(PostgresQuery(unsafeSQL: sql, binds: binds), record).first else { return nil }
        run.attempts = try await AttemptColumns.attempts(of: [run.id], tables, session)[run.id] ?? []
        return run
    }

    /// Writes every column of `run` but `sequence` and `id` to its row.
    static func update(_ run: RunRecord, _ tables: Tables, _ session: Session) async throws {
        var b = Binder()
        let assignments = [
            "task = \(b.add(run.task, "text"))",
            "queue = \(b.add(run.queue, "text"))",
            "concurrency_key = \(b.add(run.concurrencyKey, "text"))",
            "status = \(b.add(run.status.rawValue, "text"))",
            "priority = \(b.add(run.priority, "int8"))",
            "payload = \(try b.add(run.payload, "bytea"))",
            "tags = \(b.add(run.tags, "text[]"))",
            "idempotency_key = \(b.add(run.idempotencyKey, "text"))",
            "idempotency_expires_at = \(b.add(ColumnCoding.optionalTime(run.idempotencyExpiresAt), "float8"))",
            "created_at = \(b.add(ColumnCoding.time(run.createdAt), "float8"))",
            "scheduled_at = \(b.add(ColumnCoding.time(run.scheduledAt), "float8"))",
            "submitted_at = \(b.add(ColumnCoding.optionalTime(run.submittedAt), "float8"))",
            "completed_at = \(b.add(ColumnCoding.optionalTime(run.completedAt), "float8"))",
            "failed_at = \(b.add(ColumnCoding.optionalTime(run.failedAt), "float8"))",
            "canceled_at = \(b.add(ColumnCoding.optionalTime(run.canceledAt), "float8"))",
            "updated_at = \(b.add(ColumnCoding.time(run.updatedAt), "float8"))",
            "expires_at = \(b.add(ColumnCoding.optionalTime(run.expiresAt), "float8"))",
            "attempt_count = \(b.add(run.attemptCount, "int8"))",
            "max_attempts = \(b.add(run.maxAttempts, "int8"))",
            "execution_nanoseconds = \(b.add(ColumnCoding.nanoseconds(run.executionTime), "int8"))",
            "progress_message = \(b.add(run.progressMessage, "text"))",
            "progress_percent = \(b.add(run.progressPercent, "float8"))",
            "result = \(try b.add(run.result, "bytea"))",
            "result_note = \(b.add(run.resultNote, "text"))",
            "error_type = \(b.add(run.error?.type, "text"))",
            "error_name = \(b.add(run.error?.name, "text"))",
            "error_message = \(b.add(run.error?.message, "text"))",
            "error_stack = \(b.add(run.error?.stack, "text"))",
            "worker_id = \(b.add(run.workerID, "text"))",
            "lease_expires_at = \(b.add(ColumnCoding.optionalTime(run.leaseExpiresAt), "float8"))",
            "cancel_requested_at = \(b.add(ColumnCoding.optionalTime(run.cancelRequestedAt), "float8"))",
            "replay_of = \(b.add(run.replayOf?.rawValue, "text"))",
            "parent_id = \(b.add(run.parentID?.rawValue, "text"))",
            "schedule_id = \(b.add(run.scheduleID, "text"))",
            "occurrence_at = \(b.add(ColumnCoding.optionalTime(run.occurrenceAt), "float8"))",
            "depth = \(b.add(run.depth, "int8"))",
            "awaited = \(b.add(run.awaited, "bool"))",
            "suspensions = \(b.add(run.suspensions, "int8"))",
            "origin_kind = \(b.add(run.origin.kind.rawValue, "text"))",
            "origin_ref = \(b.add(run.origin.reference, "text"))",
            "event_id = \(b.add(run.eventID, "text"))",
            "required_labels = \(b.add(ColumnCoding.labels(run.requiredLabels), "text[]"))",
            "cost = \(b.add(run.cost, "int8"))",
        ]
        let sequence = b.add(run.sequence, "int8")
        try await session.execute(b.query("UPDATE \(tables.runs) SET \(assignments.joined(separator: ", ")) WHERE sequence = \(sequence)"))
    }

    /// Records selected with ``selection`` by a query, with their attempts when asked.
    static func records(_ query: PostgresQuery, attempts: Bool, _ tables: Tables, _ session: Session) async throws -> [RunRecord] {
        var runs = try await session.map(query, record)
        if attempts, !runs.isEmpty {
            let byRun = try await AttemptColumns.attempts(of: runs.map(\.id), tables, session)
            for index in runs.indices { runs[index].attempts = byRun[runs[index].id] ?? [] }
        }
        return runs
    }
}
