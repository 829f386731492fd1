import Errand
import Foundation
import GRDB
import Logging

/// The embedded ``RunStore``: one SQLite file, the default store.
///
/// The file is in WAL mode with one writer connection and a pool of readers. Writes go through a
/// group commit (``WriteBatcher``): concurrent inserts, claims, heartbeats and outcomes share one
/// transaction and one synced commit, so throughput grows with concurrency while every write is
/// still durable when its call returns (with ``Durability/full``, the default). Several processes
/// may open the same file: their transactions take turns, waiting up to
/// ``Configuration/busyTimeout`` for each other.
///
/// ```swift
/// let store = try SQLiteRunStore(path: ".errand/errand.sqlite")
/// let results = try await store.insertRuns([NewRun(task: "email", queue: "email", payload: Data("{}".utf8), scheduledAt: .now)], now: .now)
/// ```
public final class SQLiteRunStore: RunStore {
    /// The database file.
    public let path: String
    /// The settings the store was opened with.
    public let configuration: Configuration

    let pool: DatabasePool
    let batcher: WriteBatcher
    /// A connection of its own for `PRAGMA data_version`: a connection's data version changes for
    /// commits made through every other connection (the writer's included), never its own.
    private let versionReader: DatabaseQueue

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { Schema.versions.count }

    /// Opens (creating it and its parent directories if needed) the store at `path` and brings
    /// its schema up to date.
    ///
    /// A file a newer build migrated is opened when every version it applied allows older
    /// builds, with a warning logged to `logger`; otherwise the file is left untouched and this
    /// throws ``SQLiteSchemaError/tooNew(path:applied:oldestCompatible:known:)``.
    public init(path: String, configuration: Configuration = .init(), logger: Logger = Logger(label: "Errand.SQLiteRunStore")) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.path = path
        self.configuration = configuration

        var poolConfiguration = GRDB.Configuration()
        poolConfiguration.label = "Errand.SQLiteRunStore"
        poolConfiguration.busyMode = Self.busyMode(configuration.busyTimeout)
        poolConfiguration.maximumReaderCount = max(1, configuration.readerCount)
        poolConfiguration.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY")
            }
        }
        pool = try Self.openPool(path: path, configuration: poolConfiguration, timeout: configuration.busyTimeout)
        // After the pool's own WAL set-up, which chooses NORMAL: only the writer commits.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(configuration.durability.pragmaValue)")
        }
        if let applied = try Schema.checkNotTooNew(pool, path: path) {
            logger.warning(
                "a newer build of Errand migrated the database; this one may still use it, but upgrade it",
                metadata: ["path": "\(path)", "version": "\(applied)", "known": "\(Self.schemaVersion)"]
            )
        }
        try Schema.migrate(pool)
        batcher = WriteBatcher(pool: pool)

        var versionConfiguration = GRDB.Configuration()
        versionConfiguration.label = "Errand.SQLiteRunStore.dataVersion"
        versionConfiguration.readonly = true
        versionConfiguration.busyMode = Self.busyMode(configuration.busyTimeout)
        versionReader = try DatabaseQueue(path: path, configuration: versionConfiguration)
    }

    /// Opens the pool, trying again while another process holds the lock that the switch to WAL
    /// needs: SQLite reports that switch's `SQLITE_BUSY` without calling the busy handler (two
    /// processes creating one new file at once), so it is retried here, up to `timeout`.
    static func openPool(path: String, configuration: GRDB.Configuration, timeout: Duration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(timeout.timeInterval)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(10_000)
            }
        }
    }

    /// Waits for another process's transaction in short, even steps (0.5 ms) up to `timeout`.
    /// SQLite's own busy timeout backs off to sleeps of up to 100 ms, which would turn a brief
    /// overlap with another process's commit into a long pause for a worker claiming runs.
    static func busyMode(_ timeout: Duration) -> Database.BusyMode {
        let tries = max(1, Int(timeout.timeInterval / 0.0005))
        return .callback { numberOfTries in
            guard numberOfTries < tries else { return false }
            usleep(500)
            return true
        }
    }

    /// Runs a write in the next group commit (see ``WriteBatcher``).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await batcher.write(body)
    }

    /// Runs a read on one of the pool's reader connections.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Deletes every run with its attempts, steps, tokens and log lines (queue settings,
    /// schedules, published events, subscriptions and tokens created outside any run are kept).
    /// Sequence numbers keep increasing.
    public func deleteAllRuns() async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM attempts; DELETE FROM steps; DELETE FROM wait_tokens WHERE run_id IS NOT NULL; DELETE FROM run_logs; DELETE FROM runs")
        }
    }

    /// Copies the write-ahead log into the database file and truncates it
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), as far as readers allow.
    public func checkpoint() async throws {
        try await pool.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    /// How many runs are in one of `statuses` (`nil`: all runs).
    public func countRuns(statuses: Set<RunStatus>? = nil) async throws -> Int {
        try await read { db in
            guard let statuses else { return try Int.fetchOne(db, sql: "SELECT count(*) FROM runs") ?? 0 }
            var total = 0
            for status in statuses {
                total += try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM runs WHERE status = ?"), arguments: [status.rawValue]) ?? 0
            }
            return total
        }
    }

    /// The database's data version: it changes whenever a transaction commits, in this process or
    /// any other one sharing the file. Cheap enough for an idle worker to poll.
    ///
    /// ```swift
    /// var seen = try await store.dataVersion()
    /// while true {
    ///     try await Task.sleep(for: .milliseconds(100))
    ///     let now = try await store.dataVersion()
    ///     if now != seen { seen = now; /* claim */ }
    /// }
    /// ```
    public func dataVersion() async throws -> Int {
        try await versionReader.read { db in
            try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
    }

    /// Yields whenever the database's write-ahead log changes, that is after a commit by this or
    /// any other process sharing the file, so an idle worker can wake without polling.
    ///
    /// Wake-ups are hints: they coalesce, and some are spurious (checkpoints, this process's own
    /// writes), so re-check for work rather than assume it. On Linux the stream uses inotify; where
    /// that is not available it finishes at once, and a worker falls back to polling
    /// ``dataVersion()``.
    ///
    /// ```swift
    /// for await _ in store.changes() {
    ///     let runs = try await store.claimRuns(request)
    ///     // …
    /// }
    /// ```
    public func changes() -> AsyncStream<Void> {
        WALChangeMonitor.changes(ofDatabaseAt: path)
    }
}
