import GRDB
import Synchronization

/// Group commit: many concurrent writes share one transaction and so one synced commit.
///
/// A caller hands ``write(_:)`` a closure and suspends. A single drain loop takes every pending
/// closure, runs them all in one `DatabasePool.write` transaction, each inside its own savepoint
/// (a lone closure needs none), and resumes every caller once the commit has returned. A closure
/// that throws rolls back only its own savepoint and gets its own error; the others commit. While one transaction commits, new
/// writes queue up for the next one. There is no timer: a lone caller's write starts at once.
///
/// Durability is unchanged: no caller resumes before the commit that holds its write returned,
/// and a failed commit fails every write in it.
final class WriteBatcher: Sendable {
    /// A queued write. `perform` runs it and returns how to resume its caller after the commit:
    /// inside a savepoint it keeps its error for its caller (rolling back only itself); alone in
    /// its transaction it throws, so the transaction rolls back. `fail` resumes its caller with the
    /// error of a transaction that failed.
    private struct Entry: Sendable {
        let perform: @Sendable (_ db: Database, _ inSavepoint: Bool) throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    /// The queue of writes. Invariant: when `pending` is not empty, `draining` is true, so a
    /// drain loop is running that will take them.
    private struct State {
        var pending: [Entry] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())

    /// Creates a batcher writing through the pool's writer connection.
    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in a savepoint of the next group transaction and returns its value once that
    /// transaction committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let entry = Entry(
                perform: { db, inSavepoint in
                    guard inSavepoint else {
                        let value = try body(db)
                        return { continuation.resume(returning: value) }
                    }
                    let outcome = try Self.savepoint(db) { try body(db) }
                    return { continuation.resume(with: outcome) }
                },
                fail: { continuation.resume(throwing: $0) }
            )
            let startsDrain = state.withLock { state in
                state.pending.append(entry)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startsDrain {
                Task { await self.drain() }
            }
        }
    }

    /// Commits batches until none is pending.
    private func drain() async {
        while true {
            let batch = state.withLock { state in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                // A lone write needs no savepoint: its transaction is its own.
                let resumes = try await pool.write { db in
                    batch.count == 1 ? [try batch[0].perform(db, false)] : try batch.map { try $0.perform(db, true) }
                }
                for resume in resumes { resume() }
            } catch {
                for entry in batch { entry.fail(error) }
            }
        }
    }

    /// Runs `body` in a savepoint, rolled back if it throws, and returns its outcome; throws
    /// only when the savepoint itself fails (the transaction is then lost for the whole batch).
    /// The statements are prepared once per connection (GRDB's `inSavepoint` parses them on
    /// every call).
    private static func savepoint<T>(_ db: Database, _ body: () throws -> T) throws -> Result<T, any Error> {
        try db.cachedStatement(sql: "SAVEPOINT errand_write").execute()
        let outcome = Result { try body() }
        if case .failure = outcome {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT errand_write").execute()
        }
        try db.cachedStatement(sql: "RELEASE SAVEPOINT errand_write").execute()
        return outcome
    }
}
