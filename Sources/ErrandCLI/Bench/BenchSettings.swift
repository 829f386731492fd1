import ErrandPostgres
import ErrandSQLite
import Foundation
import Logging

/// What every benchmark phase needs to know; handed to phase processes as JSON.
struct BenchSettings: Codable, Sendable {
    /// The SQLite file, or a `postgres://` / `postgresql://` URL.
    var database: String
    var sync: String
    var jobs: Int
    var single: Int
    var batchJobs: Int
    var batchSize: Int
    var latencyJobs: Int
    var latencyIntervalMs: Int
    var delayed: Int
    /// Finished (completed) runs stored next to the delayed ones in claim_delayed (PostgreSQL).
    var finished: Int
    var concurrency: Int
    /// Worker processes of the multi-process e2e figure (1: none).
    var processes: Int

    /// The PostgreSQL pool size of one bench process.
    static let postgresConnections = 20

    /// Whether `database` is a PostgreSQL URL.
    var isPostgres: Bool { DatabaseOptions.isPostgresURL(database) }

    /// The store's name in notes and in the `--json` document: `sqlite` or `postgres`.
    var storeName: String { isPostgres ? "postgres" : "sqlite" }

    /// The database as printed: a PostgreSQL URL without its password.
    var shownDatabase: String { DatabaseOptions.redacted(database) }

    var durability: SQLiteRunStore.Durability {
        switch sync {
        case "off": .off
        case "normal": .normal
        default: .full
        }
    }

    static func synchronousName(_ sync: String) -> String {
        switch sync {
        case "off": "OFF"
        case "normal": "NORMAL"
        default: "FULL"
        }
    }

    /// Opens the SQLite store (with `durability`, default the bench's).
    func openStore(durability: SQLiteRunStore.Durability? = nil) throws -> SQLiteRunStore {
        try SQLiteRunStore(path: database, configuration: .init(durability: durability ?? self.durability))
    }

    /// Runs `body` with the bench's store: the SQLite file (with `durability`, default the
    /// bench's), or the PostgreSQL database (the store's default schema, `errand`, with the
    /// store settings the URL gives, such as `durable_claims=off`), connected and migrated, for
    /// the length of `body`
    /// (its client runs in a child task meanwhile). PostgreSQL's durability is the database's
    /// `synchronous_commit`, set once by `errand bench`, so `durability` does not apply to it.
    func withStore<T: Sendable>(
        durability: SQLiteRunStore.Durability? = nil, _ body: @Sendable (any BenchStore) async throws -> T
    ) async throws -> T {
        guard isPostgres else { return try await body(try openStore(durability: durability)) }
        var logger = Logger(label: "errand.bench.postgres")
        logger.logLevel = .error
        return try await PostgresRunStore.withStore(
            url: database, maximumConnections: Self.postgresConnections, configuration: try PostgresRunStore.Configuration(url: database),
            logger: logger
        ) { store in try await body(store) }
    }

    var encoded: String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }
}
