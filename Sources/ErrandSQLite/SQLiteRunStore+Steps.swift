import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    /// The run's steps in the order they were first recorded, read from a reader connection; see
    /// ``RunStore/steps(runID:)``.
    public func steps(runID: RunID) async throws -> [StepRecord] {
        try await read { db in try StepColumns.steps(of: runID, db) }
    }

    /// Records a step in one savepoint of a group commit, fenced on the run still executing
    /// `attempt` (one `INSERT … SELECT … WHERE EXISTS … ON CONFLICT DO UPDATE`); see
    /// ``RunStore/saveStep(_:runID:attempt:)``.
    public func saveStep(_ step: StepRecord, runID: RunID, attempt: Int) async throws -> Bool {
        try await write { db in try StepColumns.save(step, runID: runID, attempt: attempt, db) }
    }

    /// Stores a pending token in one savepoint of a group commit, or returns the one holding its
    /// idempotency key (the `wait_tokens_idempotency` unique index decides, also between
    /// processes); see ``RunStore/createToken(_:)``.
    public func createToken(_ token: WaitToken) async throws -> WaitToken {
        try await write { db in try TokenColumns.create(token, db) }
    }

    /// The token with this id, read from a reader connection.
    public func token(id: String) async throws -> WaitToken? {
        try await read { db in try TokenColumns.fetch(id: id, db) }
    }

    /// Resolves a pending token and wakes the `waiting` runs that wait on it (its own, and those
    /// with a `waiting` step for it), in one savepoint of a group commit; see
    /// ``RunStore/resolveToken(id:resolution:now:)``.
    public func resolveToken(id: String, resolution: TokenResolution, now: Date) async throws -> TokenResolveResult {
        try await write { db in
            guard var token = try TokenColumns.fetch(id: id, db) else { return .notFound }
            guard token.status == .pending else { return .alreadyResolved(token) }
            token.apply(resolution, at: now)
            try TokenColumns.resolve(token, db)
            try WakeStatements.wakeWaiters(on: token, now: now, db)
            return .resolved(token)
        }
    }
}
