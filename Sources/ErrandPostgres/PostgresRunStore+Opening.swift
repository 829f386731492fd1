import Errand
import Foundation
import Logging
import PostgresNIO

extension PostgresRunStore {
    /// Opens a store on the database at `url`, runs `body` with it and closes it: the store's own
    /// `PostgresClient` runs in a child task for the length of `body`.
    ///
    /// ```swift
    /// try await PostgresRunStore.withStore(url: "postgres://errand@localhost/errand") { store in
    ///     let errand = Errand(store: store)
    ///     // …
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - url: The database (see ``clientConfiguration(url:maximumConnections:)``).
    ///   - schema: The PostgreSQL schema of the tables.
    ///   - maximumConnections: The pool's size.
    ///   - migrate: Whether to bring the schema up to date first (``migrate()``); without,
    ///     the schema must already be (``verifySchema()``). Either way the store then compares
    ///     this process's clock with the server's (``checkClock()``).
    public static func withStore<T: Sendable>(
        url: String, schema: String = "errand", maximumConnections: Int = 20, migrate: Bool = true,
        configuration: Configuration = .init(), logger: Logger = Logger(label: "Errand.PostgresRunStore"),
        _ body: @Sendable (PostgresRunStore) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(
            configuration: try clientConfiguration(url: url, maximumConnections: maximumConnections), backgroundLogger: logger
        )
        let store = try PostgresRunStore(client: client, schema: schema, configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // Lease connections only once the client runs (PostgresNIO warns otherwise).
            await withCheckedContinuation { (started: CheckedContinuation<Void, Never>) in
                group.addTask {
                    started.resume()
                    await client.run()
                }
            }
            await Task.yield()
            defer { group.cancelAll() }
            if migrate { try await store.migrate() } else { try await store.verifySchema() }
            await store.checkClock()
            return try await body(store)
        }
    }
}
