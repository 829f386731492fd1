import Errand
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The ``RunStore`` for many processes on many machines: one PostgreSQL database shared by every
/// Errand process.
///
/// The store works through a `PostgresClient` (PostgresNIO's connection pool), whose `run()` must
/// be running while the store is used. Every operation is one transaction; claims take due runs
/// with `FOR UPDATE SKIP LOCKED`, and queues with a concurrency limit are locked for the length of
/// a claim so their limits hold across every process (see ``ClaimStatements``). Its tables live in
/// one PostgreSQL schema (`errand` unless told otherwise), created by ``migrate()``.
///
/// `PostgresClient` is a swift-service-lifecycle `Service`: a server runs it in its
/// `ServiceGroup` next to the workers; ``withStore(url:schema:maximumConnections:migrate:configuration:logger:_:)``
/// runs it for the length of a closure.
///
/// ```swift
/// let client = PostgresClient(configuration: try PostgresRunStore.clientConfiguration(url: "postgres://errand@db/errand"))
/// let store = try PostgresRunStore(client: client)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { await client.run() }
///     try await store.migrate()
///     _ = try await store.insertRuns([NewRun(task: "email", queue: "email", payload: Data("{}".utf8), scheduledAt: .now)], now: .now)
///     group.cancelAll()
/// }
/// ```
public final class PostgresRunStore: RunStore {
    /// The connection pool the store works through.
    public let client: PostgresClient
    /// The PostgreSQL schema holding the store's tables.
    public let schema: String
    /// The settings the store was made with.
    public let configuration: Configuration

    /// The schema-qualified table names, built once.
    let tables: Tables
    let logger: Logger
    /// Queue sets the one-statement claim declined for a limited or paused queue.
    let limitedQueueSets = QueueSetPauses()
    /// Abandons operations whose connection closes under them.
    let closedConnections = ClosedConnectionWatch()

    /// Makes a store on `client` whose tables live in `schema`.
    ///
    /// - Parameters:
    ///   - client: The pool; its `run()` must be running while the store is used.
    ///   - schema: The PostgreSQL schema of the tables: a lower-case identifier (letters, digits and
    ///     `_`, starting with a letter or `_`, at most 48 characters).
    ///   - configuration: The store's settings.
    ///   - logger: Where the store logs.
    /// - Throws: ``Errand/ErrandError`` (field `schema`) when `schema` is not such an identifier.
    public init(
        client: PostgresClient, schema: String = "errand", configuration: Configuration = .init(),
        logger: Logger = Logger(label: "Errand.PostgresRunStore")
    ) throws {
        guard Self.isValidSchemaName(schema) else {
            throw ErrandError.invalidArgument(
                field: "schema", value: schema,
                allowed: "a lower-case identifier of at most 48 characters: letters a-z, digits and _, not starting with a digit"
            )
        }
        self.client = client
        self.schema = schema
        self.configuration = configuration
        self.tables = Tables(schema: schema)
        self.logger = logger
    }

    /// Whether `name` can name the store's schema (and so be spliced into SQL text unquoted-safe).
    static func isValidSchemaName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 48 else { return false }
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || scalar == "_" }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Runs `body` in one transaction on a pooled connection: `BEGIN`, the body, `COMMIT` (or
    /// `ROLLBACK` when the body throws). A transaction that lost a deadlock or a serialization
    /// conflict is run again from the start, up to ``Configuration/transactionRetries`` times.
    ///
    /// The transaction is `READ COMMITTED` whatever the database's or role's
    /// `default_transaction_isolation`: the claims count a queue's executing runs after locking
    /// its row, and the wake-ups check a run after locking it, so each statement must see what
    /// committed before it (under `REPEATABLE READ` two claims could both start runs past a
    /// queue's limit).
    func transaction<T: Sendable>(
        bounded: Bool = true, _ body: @escaping @Sendable (Session) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await leased(bounded: bounded) { session in
                    try await session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                    do {
                        let value = try await body(session)
                        try await session.execute("COMMIT")
                        return value
                    } catch {
                        // A lost connection has no transaction left to roll back (the server
                        // ends it with the session), and a statement sent on it could wait for
                        // ever (see ``Session/rows(_:)``).
                        if !((error as? PostgresStoreError)?.isConnectionLost ?? false) {
                            try? await session.execute("ROLLBACK")
                        }
                        throw error
                    }
                }
            } catch let error as PostgresStoreError where error.isRetryable && attempt <= configuration.transactionRetries {
                logger.debug("retrying a transaction", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                continue
            }
        }
    }

    /// Runs `body` on a pooled connection outside a transaction: for one statement, which
    /// PostgreSQL runs as a transaction of its own.
    func session<T: Sendable>(_ body: @escaping @Sendable (Session) async throws -> T) async throws -> T {
        try await leased(bounded: true, body)
    }

    /// Runs `body` on a pooled connection, within ``Configuration/operationTimeout`` when
    /// `bounded` (waiting for the connection included). Past it the call throws a
    /// ``PostgresStoreError`` saying whether it was still waiting for a connection or already
    /// running statements, and is abandoned (see ``OperationDeadline``); it is abandoned at once,
    /// failing with a lost connection, when its connection closes while it runs
    /// (``ClosedConnectionWatch``).
    private func leased<T: Sendable>(bounded: Bool, _ body: @escaping @Sendable (Session) async throws -> T) async throws -> T {
        let limit = bounded ? configuration.operationTimeout : nil
        let connected = ConnectedFlag()
        return try await OperationDeadline.run(limit: limit) {
            let stage = connected.isSet ? "running its statements" : "waiting for a connection"
            return PostgresStoreError(message: "PostgreSQL did not answer within \(limit ?? .zero) (\(stage)); the operation was abandoned")
        } _: { [client, logger, closedConnections, prepares = configuration.preparedStatements] abandon in
            // The pool can hand out a connection whose close it has not yet noticed (just after
            // the server ended the session): nothing was sent on it, so give the pool a moment
            // and ask for another (the last try goes ahead, and fails naming the closed connection).
            for attempt in 1...Self.closedConnectionRetries {
                let result: T? = try await client.withConnection { connection in
                    if connection.isClosed && attempt < Self.closedConnectionRetries { return nil }
                    connected.set()
                    do {
                        return try await closedConnections.whileRunning(on: connection, abandon: { abandon(PostgresStoreError.closedWhileRunning) }) {
                            try await body(Session(connection: connection, logger: logger, prepares: prepares))
                        }
                    } catch let error as PostgresStoreError where error.closesConnection {
                        // Closed only now: a close while the operation ran would abandon it,
                        // hiding this error behind a lost connection.
                        try? await connection.close()
                        throw error
                    }
                }
                if let result { return result }
                try await Task.sleep(for: .milliseconds(5))
            }
            preconditionFailure("the last try returns or throws")
        }
    }

    /// How many times an operation asks the pool for a connection when it is handed closed ones
    /// (5 ms apart).
    static let closedConnectionRetries = 40

    /// Deletes every run with its attempts, steps, tokens and log lines (queue settings,
    /// schedules, published events, subscriptions and tokens created outside any run are kept).
    public func deleteAllRuns() async throws {
        try await transaction { [self] session in
            try await session.execute("DELETE FROM \(unescaped: tables.attempts)")
            try await session.execute("DELETE FROM \(unescaped: tables.steps)")
            try await session.execute("DELETE FROM \(unescaped: tables.waitTokens) WHERE run_id IS NOT NULL")
            try await session.execute("DELETE FROM \(unescaped: tables.runLogs)")
            try await session.execute("DELETE FROM \(unescaped: tables.runs)")
        }
    }

    /// How many runs are in one of `statuses` (`nil`: all runs).
    public func countRuns(statuses: Set<RunStatus>? = nil) async throws -> Int {
        try await session { [self] session in
            let rows: [PostgresRow]
            if let statuses {
                rows = try await session.rows(
                    "SELECT count(*) FROM \(unescaped: tables.runs) WHERE status = ANY(\(statuses.map(\.rawValue).sorted()))"
                )
            } else {
                rows = try await session.rows("SELECT count(*) FROM \(unescaped: tables.runs)")
            }
            return try rows.first.map { try RowReader($0).int(0) } ?? 0
        }
    }
}
