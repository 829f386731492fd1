import ErrandPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// The PostgreSQL server the tests use: `ERRAND_POSTGRES_URL`, which `.ci/with-postgres` sets.
/// Without it every test fails (never skips) and says how to run them.
enum TestDatabase {
    struct MissingServer: Error, CustomStringConvertible {
        var description: String {
            "ERRAND_POSTGRES_URL is not set: run the PostgreSQL tests under .ci/with-postgres, e.g. "
                + "`.ci/with-postgres swift test --filter ErrandPostgresTests` (it starts a throwaway server and sets the URL)"
        }
    }

    /// The server's URL.
    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ERRAND_POSTGRES_URL"], !url.isEmpty else { throw MissingServer() }
        return url
    }

    /// A new client with its own small pool; the caller runs it.
    static func makeClient(maximumConnections: Int = 4) throws -> PostgresClient {
        PostgresClient(configuration: try PostgresRunStore.clientConfiguration(url: url(), maximumConnections: maximumConnections))
    }

    /// One pool shared by the conformance cases (which run in parallel), so the connections in
    /// use stay bounded however many cases run at once. It runs for the life of the test process.
    static let shared: Result<PostgresClient, any Error> = Result {
        let client = try makeClient(maximumConnections: 48)
        Task.detached { await client.run() }
        return client
    }

    /// A schema name no other test uses.
    static func uniqueSchema() -> String {
        "errand_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// Runs `body` with a maker of fresh, migrated stores on `client`, each in a schema of its
    /// own, and drops those schemas afterwards (also when `body` fails).
    static func withStores<T>(
        client: PostgresClient? = nil, _ body: (@Sendable () async throws -> PostgresRunStore) async throws -> T
    ) async throws -> T {
        let client = try client ?? shared.get()
        let schemas = Mutex<[String]>([])
        let make: @Sendable () async throws -> PostgresRunStore = {
            let schema = uniqueSchema()
            schemas.withLock { $0.append(schema) }
            let store = try PostgresRunStore(client: client, schema: schema)
            try await store.migrate()
            return store
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(make))
        } catch {
            result = .failure(error)
        }
        for schema in schemas.withLock({ $0 }) {
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
        }
        return try result.get()
    }

    /// Runs `body` with one fresh store on the shared pool.
    static func withStore<T>(_ body: (PostgresRunStore) async throws -> T) async throws -> T {
        try await withStores { make in try await body(try await make()) }
    }

    /// Runs `body` with a client of its own, running for the length of `body`.
    static func withClient<T: Sendable>(maximumConnections: Int = 4, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = try makeClient(maximumConnections: maximumConnections)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
