import Errand
import Foundation
import PostgresNIO

/// The columns of the `steps` table and the mapping to ``StepRecord``.
enum StepColumns {
    /// The columns of a step, in the order ``record(_:)`` reads them.
    static let selection = """
        key, kind, status, attempts, started_at, ended_at, output, error_type, error_name, error_message, error_stack, \
        wake_at, child_ids, token_id, attempt
        """

    /// The step in a row selected with ``selection``.
    static func record(_ row: RowReader) throws -> StepRecord {
        let kindText = try row.string(1), statusText = try row.string(2)
        guard let kind = StepKind(rawValue: kindText), let status = StepStatus(rawValue: statusText) else {
            throw PostgresStoreError(message: "unknown step kind \(kindText) or status \(statusText) in the steps table")
        }
        return StepRecord(
            key: try row.string(0), kind: kind, status: status, attempts: try row.int(3), startedAt: try row.date(4),
            endedAt: try row.optionalDate(5), output: try row.optionalData(6), error: try row.error(7),
            wakeAt: try row.optionalDate(11), childIDs: try row.strings(12).map { RunID($0) }, tokenID: try row.optionalString(13),
            attempt: try row.int(14)
        )
    }

    /// A run's steps in the order they were first recorded.
    static func steps(of id: RunID, _ t: Tables, _ session: Session) async throws -> [StepRecord] {
        try await session.map(
            "SELECT \(unescaped: selection) FROM \(unescaped: t.steps) WHERE run_id = \(id.rawValue) ORDER BY position",
            record
        )
    }

    /// Records a step while its run executes the attempt (the fence), after the run's last step or
    /// in place of the step with its key (keeping its position); returns whether it was recorded.
    static func save(_ step: StepRecord, runID: RunID, attempt: Int, _ t: Tables, _ session: Session) async throws -> Bool {
        var b = Binder()
        let run = b.add(runID.rawValue, "text")
        let values = [
            run, b.add(step.key, "text"), "(SELECT coalesce(max(position) + 1, 0) FROM \(t.steps) WHERE run_id = \(run))",
            b.add(step.kind.rawValue, "text"), b.add(step.status.rawValue, "text"), b.add(step.attempts, "int8"),
            b.add(ColumnCoding.time(step.startedAt), "float8"), b.add(ColumnCoding.optionalTime(step.endedAt), "float8"),
            try b.add(step.output, "bytea"), b.add(step.error?.type, "text"), b.add(step.error?.name, "text"),
            b.add(step.error?.message, "text"), b.add(step.error?.stack, "text"), b.add(ColumnCoding.optionalTime(step.wakeAt), "float8"),
            b.add(step.childIDs.map(\.rawValue), "text[]"), b.add(step.tokenID, "text"), b.add(step.attempt, "int8"),
        ]
        let sql = """
            INSERT INTO \(t.steps) (
                run_id, key, position, kind, status, attempts, started_at, ended_at, output, error_type, error_name,
                error_message, error_stack, wake_at, child_ids, token_id, attempt
            )
            SELECT \(values.joined(separator: ", "))
            WHERE EXISTS (
                SELECT 1 FROM \(t.runs) WHERE id = \(run) AND status = 'executing' AND attempt_count = \(b.add(attempt, "int8"))
            )
            ON CONFLICT (run_id, key) DO UPDATE SET
                kind = excluded.kind, status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,
                ended_at = excluded.ended_at, output = excluded.output, error_type = excluded.error_type,
                error_name = excluded.error_name, error_message = excluded.error_message, error_stack = excluded.error_stack,
                wake_at = excluded.wake_at, child_ids = excluded.child_ids, token_id = excluded.token_id,
                attempt = excluded.attempt
            RETURNING 1
            """
        return try await !session.rows(b.query(sql)).isEmpty
    }
}
