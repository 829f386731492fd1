import Errand
import Foundation
import GRDB

/// The columns of the `steps` table and the mapping to ``StepRecord``.
enum StepColumns {
    /// The columns of a step, in the order ``record(_:)`` reads them.
    static let selection = """
        key, kind, status, attempts, started_at, ended_at, output, error_type, error_name, error_message, error_stack, \
        wake_at, child_ids, token_id, attempt
        """

    /// Selects a run's steps in the order they were first recorded (`steps_position`).
    static let selectSQL = "SELECT \(selection) FROM steps WHERE run_id = ? ORDER BY position"

    /// Records a step while its run executes the attempt (the fence), inserting it after the run's
    /// last step or replacing the step with its key in place (its position is kept).
    static let saveSQL = """
        INSERT INTO steps (
            run_id, key, position, kind, status, attempts, started_at, ended_at, output, error_type, error_name,
            error_message, error_stack, wake_at, child_ids, token_id, attempt
        )
        SELECT ?1, ?2, (SELECT coalesce(max(position) + 1, 0) FROM steps WHERE run_id = ?1), ?3, ?4, ?5, ?6, ?7, ?8, ?9,
            ?10, ?11, ?12, ?13, ?14, ?15, ?16
        WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1 AND status = 'executing' AND attempt_count = ?17)
        ON CONFLICT (run_id, key) DO UPDATE SET
            kind = excluded.kind, status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,
            ended_at = excluded.ended_at, output = excluded.output, error_type = excluded.error_type,
            error_name = excluded.error_name, error_message = excluded.error_message, error_stack = excluded.error_stack,
            wake_at = excluded.wake_at, child_ids = excluded.child_ids, token_id = excluded.token_id,
            attempt = excluded.attempt
        """

    /// Deletes a run's steps.
    static let deleteSQL = "DELETE FROM steps WHERE run_id = ?"

    /// The step in the current row of a statement selecting ``selection``.
    static func record(_ row: ColumnReader) throws -> StepRecord {
        let kindText = row.string(1), statusText = row.string(2)
        guard let kind = StepKind(rawValue: kindText), let status = StepStatus(rawValue: statusText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unknown step kind \(kindText) or status \(statusText) in the steps table")
        }
        let error: RunError? = row.isNull(7)
            ? nil
            : RunError(type: row.string(7), name: row.optionalString(8) ?? "", message: row.optionalString(9) ?? "", stack: row.optionalString(10))
        return StepRecord(
            key: row.string(0), kind: kind, status: status, attempts: row.int(3), startedAt: row.date(4),
            endedAt: row.optionalDate(5), output: row.optionalData(6), error: error, wakeAt: row.optionalDate(11),
            childIDs: try row.tags(12).map { RunID($0) }, tokenID: row.optionalString(13), attempt: row.int(14)
        )
    }

    /// A run's steps, in order.
    static func steps(of id: RunID, _ db: Database) throws -> [StepRecord] {
        var binder = StatementBinder(try db.cachedStatement(sql: selectSQL), db)
        binder.bind(id.rawValue)
        var steps: [StepRecord] = []
        try binder.forEachRow { steps.append(try record($0)) }
        return steps
    }

    /// Records a step of attempt `attempt`; returns whether the run still executes that attempt
    /// (nothing is written when it does not).
    static func save(_ step: StepRecord, runID: RunID, attempt: Int, _ db: Database) throws -> Bool {
        var binder = StatementBinder(try db.cachedStatement(sql: saveSQL), db)
        binder.bind(runID.rawValue)
        binder.bind(step.key)
        binder.bind(step.kind.rawValue)
        binder.bind(step.status.rawValue)
        binder.bind(step.attempts)
        binder.bind(step.startedAt)
        binder.bind(step.endedAt)
        binder.bind(step.output)
        binder.bind(step.error)
        binder.bind(step.wakeAt)
        binder.bind(ColumnCoding.jsonArray(step.childIDs.map(\.rawValue)))
        binder.bind(step.tokenID)
        binder.bind(step.attempt)
        binder.bind(attempt)
        try binder.execute()
        return db.changesCount > 0
    }
}
