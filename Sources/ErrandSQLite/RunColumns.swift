import Errand
import Foundation
import GRDB

/// The columns of the `runs` table, in the one order every statement selects and writes them,
/// and the mapping between a row and a ``RunRecord``.
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

    /// The column list for `SELECT`, optionally qualified with a table name.
    static let selection = names.joined(separator: ", ")

    /// `UPDATE runs SET … WHERE sequence = ?` writing every column but `sequence` and `id`.
    static let updateSQL =
        "UPDATE runs SET \(names.dropFirst(2).map { "\($0) = ?" }.joined(separator: ", ")) WHERE sequence = ?"

    /// The record in a row selected with ``selection`` (attempts left empty).
    static func record(_ row: Row) throws -> RunRecord {
        let statusText: String = row[5]
        guard let status = RunStatus(rawValue: statusText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown run status \(statusText) in the runs table")
        }
        func time(_ index: Int) -> Date { ColumnCoding.date(row[index] as Double) }
        func optionalTime(_ index: Int) -> Date? { ColumnCoding.optionalDate(row[index] as Double?) }
        func runID(_ index: Int) -> RunID? { (row[index] as String?).map { RunID($0) } }
        let id = RunID(row[1] as String)
        let payload: Data = row[7] as Data? ?? Data()
        let tags = try ColumnCoding.tags(json: row[8])
        let executionTime = ColumnCoding.duration(nanoseconds: row[21])
        return RunRecord(
            id: id, sequence: row[0], task: row[2], queue: row[3], concurrencyKey: row[4], status: status,
            priority: row[6], payload: payload, tags: tags, idempotencyKey: row[9],
            idempotencyExpiresAt: optionalTime(10), createdAt: time(11), scheduledAt: time(12),
            submittedAt: optionalTime(13), completedAt: optionalTime(14), failedAt: optionalTime(15),
            canceledAt: optionalTime(16), updatedAt: time(17), expiresAt: optionalTime(18), attemptCount: row[19],
            maxAttempts: row[20], executionTime: executionTime, progressMessage: row[22], progressPercent: row[23],
            result: row[24], resultNote: row[25], error: ColumnCoding.error(row, at: 26), workerID: row[30],
            leaseExpiresAt: optionalTime(31), cancelRequestedAt: optionalTime(32), replayOf: runID(33),
            parentID: runID(34), scheduleID: row[35], occurrenceAt: optionalTime(36), depth: row[37], awaited: row[38],
            suspensions: row[39], origin: try ColumnCoding.origin(kind: row[40], reference: row[41]), eventID: row[42],
            requiredLabels: try ColumnCoding.labels(json: row[43]), cost: row[44]
        )
    }

    /// The record in the current row of a statement selecting ``selection``,
    /// read straight from SQLite (see ``ColumnReader``), attempts left empty. Reads exactly what
    /// ``record(_:)`` reads from a GRDB row.
    static func record(_ row: ColumnReader) throws -> RunRecord {
        let status: RunStatus
        // The hot statuses without building a string.
        if row.equals(5, "executing") {
            status = .executing
        } else if row.equals(5, "completed") {
            status = .completed
        } else {
            let text = row.string(5)
            guard let parsed = RunStatus(rawValue: text) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown run status \(text) in the runs table")
            }
            status = parsed
        }
        func runID(_ index: Int32) -> RunID? { row.optionalString(index).map { RunID($0) } }
        let error: RunError? = row.isNull(26)
            ? nil
            : RunError(type: row.string(26), name: row.optionalString(27) ?? "", message: row.optionalString(28) ?? "", stack: row.optionalString(29))
        return RunRecord(
            id: RunID(row.string(1)), sequence: row.int64(0), task: row.string(2), queue: row.string(3),
            concurrencyKey: row.optionalString(4), status: status, priority: row.int(6), payload: row.data(7),
            tags: try row.tags(8), idempotencyKey: row.optionalString(9), idempotencyExpiresAt: row.optionalDate(10),
            createdAt: row.date(11), scheduledAt: row.date(12), submittedAt: row.optionalDate(13),
            completedAt: row.optionalDate(14), failedAt: row.optionalDate(15), canceledAt: row.optionalDate(16),
            updatedAt: row.date(17), expiresAt: row.optionalDate(18), attemptCount: row.int(19), maxAttempts: row.int(20),
            executionTime: ColumnCoding.duration(nanoseconds: row.int64(21)), progressMessage: row.optionalString(22),
            progressPercent: row.optionalDouble(23), result: row.optionalData(24), resultNote: row.optionalString(25),
            error: error, workerID: row.optionalString(30), leaseExpiresAt: row.optionalDate(31),
            cancelRequestedAt: row.optionalDate(32), replayOf: runID(33), parentID: runID(34),
            scheduleID: row.optionalString(35), occurrenceAt: row.optionalDate(36), depth: row.int(37),
            awaited: row.int64(38) != 0, suspensions: row.int(39), origin: try row.origin(40), eventID: row.optionalString(42),
            requiredLabels: row.isNull(43) ? [] : try row.tags(43), cost: row.int(44)
        )
    }

    private static let selectByIDSQL = "SELECT \(selection) FROM runs WHERE id = ?"

    /// The run with `id` and its attempts, or `nil`.
    static func fetch(_ id: RunID, _ db: Database) throws -> RunRecord? {
        var binder = StatementBinder(try db.cachedStatement(sql: selectByIDSQL), db)
        binder.bind(id.rawValue)
        guard var run = try binder.firstRow(record) else { return nil }
        run.attempts = try AttemptColumns.attempts(of: id, db)
        return run
    }

    /// Writes every column of `run` (but `sequence` and `id`) to its row, in ``names`` order.
    static func update(_ run: RunRecord, _ db: Database) throws {
        var binder = StatementBinder(try db.cachedStatement(sql: updateSQL), db)
        binder.bind(run.task)
        binder.bind(run.queue)
        binder.bind(run.concurrencyKey)
        binder.bind(run.status.rawValue)
        binder.bind(run.priority)
        binder.bind(run.payload)
        binder.bind(ColumnCoding.tags(run.tags))
        binder.bind(run.idempotencyKey)
        binder.bind(run.idempotencyExpiresAt)
        binder.bind(run.createdAt)
        binder.bind(run.scheduledAt)
        binder.bind(run.submittedAt)
        binder.bind(run.completedAt)
        binder.bind(run.failedAt)
        binder.bind(run.canceledAt)
        binder.bind(run.updatedAt)
        binder.bind(run.expiresAt)
        binder.bind(run.attemptCount)
        binder.bind(run.maxAttempts)
        binder.bind(ColumnCoding.nanoseconds(run.executionTime))
        binder.bind(run.progressMessage)
        binder.bind(run.progressPercent)
        binder.bind(run.result)
        binder.bind(run.resultNote)
        binder.bind(run.error)
        binder.bind(run.workerID)
        binder.bind(run.leaseExpiresAt)
        binder.bind(run.cancelRequestedAt)
        binder.bind(run.replayOf?.rawValue)
        binder.bind(run.parentID?.rawValue)
        binder.bind(run.scheduleID)
        binder.bind(run.occurrenceAt)
        binder.bind(run.depth)
        binder.bind(run.awaited)
        binder.bind(run.suspensions)
        binder.bind(run.origin.kind.rawValue)
        binder.bind(run.origin.reference)
        binder.bind(run.eventID)
        binder.bind(ColumnCoding.labels(run.requiredLabels))
        binder.bind(run.cost)
        binder.bind(run.sequence)
        try binder.execute()
    }

    /// Records selected with ``selection`` by a statement, attempts included when asked.
    static func records(_ statement: Statement, arguments: StatementArguments, attempts: Bool, _ db: Database) throws -> [RunRecord] {
        var runs: [RunRecord] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() { runs.append(try record(row)) }
        if attempts {
            for index in runs.indices { runs[index].attempts = try AttemptColumns.attempts(of: runs[index].id, db) }
        }
        return runs
    }
}
