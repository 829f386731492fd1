import Errand
import Foundation

extension PostgresRunStore {
    /// The run's steps in the order they were first recorded; see ``RunStore/steps(runID:)``.
    public func steps(runID: RunID) async throws -> [StepRecord] {
        try await session { [self] session in try await StepColumns.steps(of: runID, tables, session) }
    }

    /// Records a step with one statement fenced on the run still executing `attempt`; see
    /// ``RunStore/saveStep(_:runID:attempt:)``.
    public func saveStep(_ step: StepRecord, runID: RunID, attempt: Int) async throws -> Bool {
        try await session { [self] session in try await StepColumns.save(step, runID: runID, attempt: attempt, tables, session) }
    }

    /// Stores a pending token, or returns the one holding its idempotency key; see
    /// ``RunStore/createToken(_:)``.
    public func createToken(_ token: WaitToken) async throws -> WaitToken {
        try await transaction { [self] session in try await TokenColumns.create(token, tables, session) }
    }

    /// The token with this id.
    public func token(id: String) async throws -> WaitToken? {
        try await session { [self] session in try await TokenColumns.fetch(id: id, tables, session) }
    }

    /// Resolves a pending token and wakes the `waiting` runs that wait on it (its own, and those
    /// with a `waiting` step for it), in one transaction; see
    /// ``RunStore/resolveToken(id:resolution:now:)``.
    ///
    /// The token's row lock orders this against a run parking on it: the parking transaction
    /// takes the lock (`FOR SHARE`) before it checks the token (see ``CompletionStatements``), so
    /// either it waits for this one and sees the token resolved, or this one waits for it and
    /// then sees the run `waiting`.
    public func resolveToken(id: String, resolution: TokenResolution, now: Date) async throws -> TokenResolveResult {
        try await transaction { [self] session in
            guard var token = try await TokenColumns.fetch(id: id, lock: true, tables, session) else { return .notFound }
            guard token.status == .pending else { return .alreadyResolved(token) }
            token.apply(resolution, at: now)
            try await session.execute(
                """
                UPDATE \(unescaped: tables.waitTokens)
                SET status = \(token.status.rawValue), value = \(token.value), resolved_at = \(ColumnCoding.optionalTime(token.resolvedAt))
                WHERE id = \(token.id)
                """
            )
            if try await WakeStatements.wakeWaiters(on: token, now: now, tables, session) {
                try await ChangeNotifier.notify(tables, session)
            }
            return .resolved(token)
        }
    }
}
