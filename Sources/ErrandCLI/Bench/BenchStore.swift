import Errand
import ErrandPostgres
import ErrandSQLite
import Foundation

/// What the benchmark phases need of a store: runs and schedules, a count of runs by status,
/// and the untimed reset before each phase. SQLite and PostgreSQL are both.
protocol BenchStore: RunStore, ScheduleStore {
    /// How many runs are in one of `statuses` (`nil`: all runs).
    func countRuns(statuses: Set<RunStatus>?) async throws -> Int

    /// Whether any run is in one of `statuses`: the poll of a timed phase, so it must cost next to
    /// nothing however many runs are stored.
    func hasRuns(statuses: [RunStatus]) async throws -> Bool

    /// Empties the run tables and settles the storage, as the peer harness does before each
    /// phase (untimed).
    func resetForBench() async throws

    /// Settles the storage after an untimed fill: SQLite checkpoints its log, PostgreSQL runs
    /// `VACUUM ANALYZE` and `CHECKPOINT`.
    func settleForBench() async throws
}

extension SQLiteRunStore: BenchStore {
    /// Counts the runs in `statuses` (SQLite answers in this process, with no round trip).
    func hasRuns(statuses: [RunStatus]) async throws -> Bool {
        try await countRuns(statuses: Set(statuses)) > 0
    }

    /// Deletes every run and checkpoints the log (`PRAGMA wal_checkpoint(TRUNCATE)`).
    func resetForBench() async throws {
        try await deleteAllRuns()
        try await checkpoint()
    }

    /// Checkpoints the log.
    func settleForBench() async throws {
        try await checkpoint()
    }
}

extension PostgresRunStore: BenchStore {
    /// One index probe per status, in one statement (see ``PostgresBenchSQL/hasRuns(_:statuses:)``).
    func hasRuns(statuses: [RunStatus]) async throws -> Bool {
        try await PostgresBenchSQL.hasRuns(self, statuses: statuses)
    }

    /// `TRUNCATE`s every table of the store's schema but the migrations, then `VACUUM ANALYZE`
    /// and `CHECKPOINT` (see ``PostgresBenchSQL/reset(_:)``).
    func resetForBench() async throws {
        try await PostgresBenchSQL.reset(self)
    }

    /// `VACUUM ANALYZE` and `CHECKPOINT` (see ``PostgresBenchSQL/settle(_:)``).
    func settleForBench() async throws {
        try await PostgresBenchSQL.settle(self)
    }
}
