import Errand
import ErrandPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

@Suite("PostgresRunStore change feed")
struct PostgresChangeFeedTests {
    /// The default poll interval of a worker: a notification must beat it.
    let pollInterval = Duration.milliseconds(500)

    /// Consumes a change feed for the length of a test, recording when each wake-up came.
    ///
    /// One task iterates the stream for its whole life: cancelling a wait on an `AsyncStream`
    /// would end the stream.
    final class WakeRecorder: Sendable {
        let wakes = Shared<[ContinuousClock.Instant]>([])
        let consumer: Task<Void, Never>

        init(_ stream: AsyncStream<Void>) {
            let wakes = wakes
            consumer = Task {
                for await _ in stream { wakes.withLock { $0.append(.now) } }
            }
        }

        deinit { consumer.cancel() }

        var count: Int { wakes.withLock { $0.count } }

        /// Waits up to `limit` for a wake-up after the first `seen`; returns how long after
        /// `start` it came, or `nil`.
        func wake(after seen: Int, since start: ContinuousClock.Instant = .now, within limit: Duration) async throws -> Duration? {
            while ContinuousClock.now - start < limit {
                if let instant = wakes.withLock({ $0.count > seen ? $0[seen] : nil }) { return instant - start }
                try await Task.sleep(for: .milliseconds(2))
            }
            return nil
        }

        /// Inserts due runs through `store` until a wake-up comes (the listener starts in the
        /// background); returns whether one came.
        func waitUntilListening(inserting store: PostgresRunStore) async throws -> Bool {
            for _ in 0..<40 {
                let seen = count
                _ = try await store.insertRuns([PostgresChangeFeedTests.dueRun()], now: Date())
                if try await wake(after: seen, within: .milliseconds(250)) != nil {
                    try await Task.sleep(for: .milliseconds(50))
                    return true
                }
            }
            return false
        }
    }

    /// A recorder of `store`'s change feed, once the feed is listening (its first wake-up
    /// counted), and the count of wake-ups so far.
    static func listeningRecorder(_ store: PostgresRunStore) async throws -> (WakeRecorder, seen: Int) {
        let recorder = WakeRecorder(store.changes())
        try #require(try await recorder.waitUntilListening(inserting: store))
        return (recorder, recorder.count)
    }

    static func dueRun() -> NewRun { NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: Date()) }

    @Test func anInsertFromAnotherClientWakesTheFeedWithinAPollInterval() async throws {
        try await TestDatabase.withStores { make in
            let listening = try await make()
            let recorder = WakeRecorder(listening.changes())
            try await TestDatabase.withClient { client in
                let writer = try PostgresRunStore(client: client, schema: listening.schema)
                try #require(try await recorder.waitUntilListening(inserting: writer), "the feed never woke on inserts")
                for _ in 0..<5 {
                    let seen = recorder.count
                    let start = ContinuousClock.now
                    _ = try await writer.insertRuns([Self.dueRun()], now: Date())
                    let latency = try #require(try await recorder.wake(after: seen, since: start, within: .seconds(5)), "no wake-up after an insert")
                    #expect(latency < pollInterval, "woke after \(latency)")
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }

    @Test func aRunDueLaterDoesNotNotify() async throws {
        try await TestDatabase.withStores { make in
            let store = try await make()
            let (recorder, seen) = try await Self.listeningRecorder(store)
            let later = NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: Date() + 3600)
            _ = try await store.insertRuns([later], now: Date())
            #expect(try await recorder.wake(after: seen, within: .milliseconds(300)) == nil, "a run due later wakes nobody")
            _ = try await store.insertRuns([Self.dueRun()], now: Date())
            #expect(try await recorder.wake(after: seen, within: .seconds(5)) != nil, "a due run does")
        }
    }

    /// Resuming a queue makes its runs claimable again: the feed says so; pausing does not.
    @Test func resumingAQueueNotifiesAndPausingDoesNot() async throws {
        try await TestDatabase.withStores { make in
            let store = try await make()
            let (recorder, seen) = try await Self.listeningRecorder(store)
            try await store.setQueuePaused("q", paused: true)
            #expect(try await recorder.wake(after: seen, within: .milliseconds(300)) == nil, "a pause wakes nobody")
            try await store.setQueuePaused("q", paused: false)
            #expect(try await recorder.wake(after: seen, within: .seconds(5)) != nil, "a resume does")
        }
    }

    @Test func theFeedListensAgainAfterItsConnectionIsKilled() async throws {
        try await TestDatabase.withClient(maximumConnections: 4) { client in
            try await TestDatabase.withStores(client: client) { _ in
                let schema = TestDatabase.uniqueSchema()
                let store = try PostgresRunStore(client: client, schema: schema, configuration: .init(listenRetryDelay: .milliseconds(50)))
                try await store.migrate()
                let recorder = WakeRecorder(store.changes())
                let heard: Bool
                do {
                    try #require(try await recorder.waitUntilListening(inserting: store))
                    let beforeKill = recorder.count
                    try await TestDatabase.withClient { admin in
                        let killed = try await admin.query(PostgresQuery(unsafeSQL: """
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "errand_\(schema)";'
                            """)).collect()
                        try #require(killed.count == 1, "the listening connection was found")
                    }
                    // The drop wakes the consumer once (what was sent meanwhile is lost); after
                    // that the feed hears inserts again.
                    let dropped = try await recorder.wake(after: beforeKill, within: .seconds(5))
                    try #require(dropped != nil, "the consumer is woken when the connection drops")
                    heard = try await recorder.waitUntilListening(inserting: store)
                } catch {
                    try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
                    throw error
                }
                try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
                #expect(heard, "the feed did not listen again")
            }
        }
    }
}
