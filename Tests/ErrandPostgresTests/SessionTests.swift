import PostgresNIO
import Synchronization
import Testing

@testable import ErrandPostgres

/// `Session` and `PostgresRunStore.transaction` when the connection goes away under them, as it
/// does when PostgreSQL restarts: they must fail at once, never wait for a reply that cannot come.
@Suite("Session")
struct SessionTests {
    /// A store whose operations would be abandoned after 60 s: an operation that hangs shows up
    /// as that bound's error instead of the connection's.
    private static let configuration = PostgresRunStore.Configuration(operationTimeout: .seconds(60))

    @Test func aStatementOnAClosedConnectionFailsAtOnceNamingTheClosedConnection() async throws {
        try await TestDatabase.withClient(maximumConnections: 2) { client in
            let store = try PostgresRunStore(client: client, configuration: Self.configuration)
            let error = await #expect(throws: PostgresStoreError.self) {
                try await store.session { session in
                    try await session.connection.close().get()
                    try await session.execute("SELECT 1")
                }
            }
            #expect(error?.isConnectionLost == true)
            // Whichever notices first: the statement's check, or the connection's close callback.
            let named = ["connection was closed before the statement was sent", "closed while the operation ran"]
            #expect(named.contains { error?.message.contains($0) == true }, "\(String(describing: error))")
        }
    }

    @Test func aTransactionWhoseSessionTheServerEndsFailsAtOnceWithoutRollingBack() async throws {
        try await TestDatabase.withClient(maximumConnections: 2) { client in
            let store = try PostgresRunStore(client: client, configuration: Self.configuration)
            let error = await #expect(throws: PostgresStoreError.self) {
                try await store.transaction { session in
                    let pid = try await session.map("SELECT pg_backend_pid()") { try $0.int(0) }[0]
                    // The server ends this session between two statements of the transaction
                    // (what a restart does), from the pool's other connection.
                    do {
                        _ = try await client.query("SELECT pg_terminate_backend(\(pid)::int)")
                    } catch {
                        Issue.record("terminating the session failed: \(String(reflecting: error))")
                    }
                    while !session.connection.isClosed { await Task.yield() }
                    try await session.execute("SELECT 1")
                }
            }
            #expect(error?.isConnectionLost == true, "\(String(describing: error))")
            #expect(error?.message.contains("did not answer") == false, "\(String(describing: error))")
            // The pool carries on with a new connection (it can hand out the closed one once more
            // before it notices the close; the store then asks for another).
            let one = try await store.session { try await $0.map("SELECT 1") { try $0.int(0) } }
            #expect(one == [1])
        }
    }

    @Test func aServerErrorThatEndsTheSessionCountsAsALostConnection() {
        #expect(PostgresStoreError.connectionClosed.isConnectionLost)
        #expect(!PostgresStoreError(message: "deadlock", sqlState: "40P01").isConnectionLost)
    }

    @Test func aTransactionIsReadCommittedWhateverTheDefaultIsolation() async throws {
        try await TestDatabase.withClient(maximumConnections: 1) { client in
            let store = try PostgresRunStore(client: client, configuration: Self.configuration)
            // One pooled connection: the session default set here is the transaction's default.
            try await store.session { session in try await session.execute("SET default_transaction_isolation = 'repeatable read'") }
            let inSession = try await store.session { session in try await session.map("SHOW transaction_isolation") { try $0.string(0) } }
            #expect(inSession == ["repeatable read"])
            let inTransaction = try await store.transaction { session in try await session.map("SHOW transaction_isolation") { try $0.string(0) } }
            #expect(inTransaction == ["read committed"], "the claims' queue limits need a fresh snapshot per statement")
        }
    }

    @Test func anOperationWhoseConnectionClosesUnderItFailsAtOnce() async throws {
        try await TestDatabase.withClient(maximumConnections: 2) { client in
            let store = try PostgresRunStore(client: client, configuration: Self.configuration)
            _ = try await store.migrate()  // the last check reads the runs table, whatever ran before
            // The operation hangs (as a statement PostgresNIO dropped would) and its connection
            // closes: it must fail then, not after the 60 s bound.
            let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresStoreError.self) {
                try await store.session { session in
                    session.connection.close().whenComplete { _ in }
                    await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
                }
            }
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(error?.isConnectionLost == true)
            #expect(error?.message.contains("closed while the operation ran") == true, "\(String(describing: error))")
            while parked.withLock({ $0 == nil }) { await Task.yield() }
            parked.withLock { $0?.resume() }
            #expect(try await store.countRuns() >= 0, "the store goes on with another connection")
        }
    }
}
