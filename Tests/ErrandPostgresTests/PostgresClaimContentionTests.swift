import Errand
import Foundation
import PostgresNIO
import Synchronization
import Testing

@testable import ErrandPostgres

/// A value tasks share.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}

/// Queue limits hold across processes: claimers with pools of their own (as separate processes
/// would have) race on one limited queue. Completions that meet on the same runs wait for each
/// other rather than deadlock.
@Suite("PostgresRunStore claims and completions under contention")
struct PostgresClaimContentionTests {
    /// A resent batch of outcomes (the writer's connection failed after the server received the
    /// first copy) meets the first copy, in the opposite order, while a third transaction holds
    /// the middle run. Each copy must lock the runs in id order: taken in the batch's order, the
    /// first copy holds the lowest id and the second the highest, each waits for the middle one,
    /// and whichever gets it next waits for the other: a deadlock. These stores do not retry a
    /// transaction, so a deadlock would be the error the test sees.
    @Test func twoCopiesOfACompletionInOppositeOrdersWaitRatherThanDeadlock() async throws {
        try await TestDatabase.withStores { make in
            let setup = try await make()
            let (strict, now) = (try Self.notRetrying(setup), Date())
            let ids = try await Self.executingRuns(3, in: setup, now: now)
            try await TestDatabase.withClient(maximumConnections: 1) { client in
                try await client.withConnection { connection in
                    let logger = Logger(label: "test")
                    try await Self.hold(ids[1], of: setup, connection)
                    let completions = ids.map {
                        AttemptCompletion(
                            runID: $0, attempt: 1, guard: .worker("w"), endedAt: now + 1, outcome: .succeeded, status: .completed,
                            result: Data("{}".utf8)
                        )
                    }
                    let first = Task { try await strict.completeAttempts(completions) }
                    try await Self.waitForLockWaits(1, in: setup.schema, connection)
                    let second = Task { try await strict.completeAttempts(completions.reversed()) }
                    try await Self.waitForLockWaits(2, in: setup.schema, connection)
                    _ = try await connection.query("COMMIT", logger: logger)
                    let results = [try await first.value, Array(try await second.value.reversed())]
                    // One copy completed each run; the other found it completed and no longer applied.
                    for index in ids.indices {
                        let applied = results.compactMap { $0[index] }
                        #expect(applied.count == 1 && applied.first?.status == .completed, "run \(index): \(applied)")
                    }
                }
            }
            for id in ids {
                let run = try #require(try await setup.run(id: id))
                #expect(run.status == .completed)
                #expect(run.attempts.map(\.outcome) == [.succeeded])
            }
        }
    }

    /// A batch that completes one run directly and parks another (which the full completion
    /// writes) meets a heartbeat of both runs that waits ahead of it for the parked one. The
    /// batch must take both runs in id order before either path writes: taking the completed
    /// run first, it held it while the heartbeat, once it had the parked run, waited for it (a
    /// deadlock, 40P01 from one of the two here, which do not retry).
    @Test func aBatchOfBothKindsMeetingAHeartbeatWaitsRatherThanDeadlock() async throws {
        try await TestDatabase.withStores { make in
            let setup = try await make()
            let (strict, now) = (try Self.notRetrying(setup), Date())
            let ids = try await Self.executingRuns(2, in: setup, now: now)
            let (parked, completed) = (ids[0], ids[1])
            try await TestDatabase.withClient(maximumConnections: 1) { client in
                try await client.withConnection { connection in
                    let logger = Logger(label: "test")
                    try await Self.hold(parked, of: setup, connection)
                    let heartbeat = Task { try await strict.heartbeat(runs: ids, workerID: "w", leaseUntil: now + 120, now: now) }
                    try await Self.waitForLockWaits(1, in: setup.schema, connection)
                    let batch = Task {
                        try await strict.completeAttempts([
                            AttemptCompletion(
                                runID: completed, attempt: 1, guard: .worker("w"), endedAt: now + 1, outcome: .succeeded, status: .completed,
                                result: Data("{}".utf8)
                            ),
                            AttemptCompletion(
                                runID: parked, attempt: 1, guard: .worker("w"), endedAt: now + 1, outcome: .suspended, status: .waiting,
                                retryAt: now + 60
                            ),
                        ])
                    }
                    try await Self.waitForLockWaits(2, in: setup.schema, connection)
                    _ = try await connection.query("COMMIT", logger: logger)
                    _ = try await heartbeat.value
                    let results = try await batch.value
                    #expect(results.map { $0?.status } == [.completed, .waiting])
                }
            }
        }
    }

    /// A store on `setup`'s schema that does not retry a transaction, so a deadlock reaches the test.
    static func notRetrying(_ setup: PostgresRunStore) throws -> PostgresRunStore {
        try PostgresRunStore(client: try TestDatabase.shared.get(), schema: setup.schema, configuration: .init(transactionRetries: 0))
    }

    /// `count` runs executing for worker `w`, by id, among 2,000 parked ones (so the statements
    /// find runs by id, as in a table in use).
    static func executingRuns(_ count: Int, in store: PostgresRunStore, now: Date) async throws -> [RunID] {
        _ = try await store.insertRuns(
            (0..<2_000).map { _ in NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: now + 3_600) }, now: now
        )
        _ = try await store.insertRuns((0..<count).map { _ in NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
        let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["q"], limit: count, now: now, leaseUntil: now + 60))
        try #require(claimed.count == count)
        return claimed.map(\.id).sorted { $0.rawValue < $1.rawValue }
    }

    /// Gathers statistics on the runs (as any table in use has them: the statements then look
    /// runs up by id, in their batch's order), then opens a transaction on `connection` that
    /// holds run `id` `FOR UPDATE`.
    static func hold(_ id: RunID, of store: PostgresRunStore, _ connection: PostgresConnection) async throws {
        let logger = Logger(label: "test")
        _ = try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \"\(store.schema)\".runs"), logger: logger)
        _ = try await connection.query("BEGIN", logger: logger)
        _ = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT 1 FROM \"\(store.schema)\".runs WHERE id = '\(id.rawValue)' FOR UPDATE"), logger: logger
        )
    }

    /// How a claim reaches a queue in ``aLimitOrPauseGivenWhileAClaimStartsHoldsForThatClaim(path:change:)``.
    enum ClaimPath: String, CaseIterable, Sendable {
        /// The one-statement claim (the queue named, unlimited).
        case oneStatement
        /// The full claim with no limited queue (no queue named).
        case full
        /// The full claim that also locks a limited queue (both named).
        case fullWithALimitedQueue

        /// The queues the claim names (`q` unlimited, `l` limited).
        var queues: Set<String>? {
            switch self {
            case .oneStatement: ["q"]
            case .full: nil
            case .fullWithALimitedQueue: ["l", "q"]
            }
        }
    }

    /// What another process does to the queue while the claim starts.
    enum QueueChange: String, CaseIterable, Sendable {
        case limit, pause
    }

    /// An unlimited queue gets a limit of 2, or is paused, by another process (an `UPDATE` of its
    /// row, not yet committed, here without the ``QueueSettingsLock`` a store's change takes
    /// first, so the claim gets to the row) while a claim on it starts: the claim waits for the
    /// change and follows it, on every path. Before, a claim that read the queue as unlimited
    /// took five of its runs, uncounted by the claims that came after.
    @Test(arguments: ClaimPath.allCases, QueueChange.allCases)
    func aLimitOrPauseGivenWhileAClaimStartsHoldsForThatClaim(path: ClaimPath, change: QueueChange) async throws {
        try await TestDatabase.withStores { make in
            let store = try await make()
            let now = Date()
            try await store.upsertQueues([QueueConfig(name: "q", concurrency: nil), QueueConfig(name: "l", concurrency: 5)])
            // The queue's runs first, so they lead the claim order.
            _ = try await store.insertRuns((0..<10).map { _ in NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
            if path == .fullWithALimitedQueue {
                _ = try await store.insertRuns((0..<10).map { _ in NewRun(task: "t", queue: "l", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
            }
            let request = ClaimRequest(workerID: "w", queues: path.queues, limit: 5, now: now, leaseUntil: now + 60)
            let allowed = change == .limit ? 2 : 0
            try await TestDatabase.withClient(maximumConnections: 1) { client in
                try await client.withConnection { connection in
                    let logger = Logger(label: "test")
                    func executingInQ() async throws -> Int {
                        let rows = try await connection.query(
                            PostgresQuery(unsafeSQL: "SELECT count(*)::int8 FROM \"\(store.schema)\".runs WHERE queue = 'q' AND status = 'executing'"),
                            logger: logger
                        )
                        var count = -1
                        for try await value in rows.decode(Int64.self) { count = Int(value) }
                        return count
                    }
                    _ = try await connection.query("BEGIN", logger: logger)
                    let set = change == .limit ? "concurrency = 2" : "paused = true"
                    _ = try await connection.query(
                        PostgresQuery(unsafeSQL: "UPDATE \"\(store.schema)\".queues SET \(set) WHERE name = 'q'"), logger: logger
                    )
                    let claim = Task { try await store.claimRuns(request) }
                    try await Self.waitForLockWaits(1, in: store.schema, connection)
                    _ = try await connection.query("COMMIT", logger: logger)
                    let first = try await claim.value
                    #expect(first.filter { $0.queue == "q" }.count <= allowed, "claimed \(first.count) runs: \(first.map(\.queue))")
                    _ = try await store.claimRuns(request)
                    #expect(try await executingInQ() == allowed)
                }
            }
        }
    }

    /// A pause waits for a claim in flight that holds the queue's row shared (here held open by
    /// another connection, as a claim's statement holds it). A claim arriving meanwhile must
    /// leave the queue alone rather than share the row too: PostgreSQL would let it in ahead of
    /// the waiting pause, and a stream of such claims could keep the pause out for ever. Before
    /// ``QueueSettingsLock`` the claim below took five runs while the pause waited. A worker's
    /// start repeating the queue's unchanged settings, or making the rows it lacks, does not wait
    /// at all.
    @Test(arguments: ClaimPath.allCases)
    func claimsArrivingWhileAPauseWaitsLeaveTheQueueAlone(path: ClaimPath) async throws {
        try await TestDatabase.withStores { make in
            let store = try await make()
            let now = Date()
            let settings = [QueueConfig(name: "q", concurrency: nil), QueueConfig(name: "l", concurrency: 5)]
            try await store.upsertQueues(settings)
            _ = try await store.insertRuns((0..<10).map { _ in NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
            _ = try await store.insertRuns((0..<10).map { _ in NewRun(task: "t", queue: "l", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
            let request = ClaimRequest(workerID: "w", queues: path.queues, limit: 5, now: now, leaseUntil: now + 60)
            try await TestDatabase.withClient(maximumConnections: 1) { client in
                try await client.withConnection { connection in
                    let logger = Logger(label: "test")
                    _ = try await connection.query("BEGIN", logger: logger)
                    _ = try await connection.query(
                        PostgresQuery(unsafeSQL: """
                            SELECT 1 FROM \(store.tables.queues)
                            WHERE name = 'q' AND \(QueueSettingsLock.shared(where: "true", store.tables)) FOR SHARE
                            """),
                        logger: logger
                    )
                    try await store.upsertQueues(settings)
                    let pause = Task { try await store.setQueuePaused("q", paused: true) }
                    try await Self.waitForLockWaits(1, in: store.schema, connection)
                    try await store.createMissingQueues(["l", "new", "q"])
                    #expect(try await store.queueStates().contains { $0.config.name == "new" })
                    let meanwhile = try await store.claimRuns(request)
                    #expect(!meanwhile.contains { $0.queue == "q" }, "claimed \(meanwhile.map(\.queue)) while the pause waited")
                    _ = try await connection.query("COMMIT", logger: logger)
                    try await pause.value
                }
            }
            let after = try await store.claimRuns(request)
            #expect(!after.contains { $0.queue == "q" }, "the queue is paused")
        }
    }

    /// Waits until `count` statements on `schema` wait for a lock. `connection` may be inside a
    /// transaction, which would otherwise read the activity as it was at its first look.
    static func waitForLockWaits(_ count: Int, in schema: String, _ connection: PostgresConnection) async throws {
        for _ in 0..<3_000 {
            _ = try await connection.query("SELECT pg_stat_clear_snapshot()", logger: Logger(label: "test"))
            let rows = try await connection.query(
                "SELECT count(*)::int8 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND position(\(schema) in query) > 0",
                logger: Logger(label: "test")
            )
            for try await waiting in rows.decode(Int64.self) where waiting >= count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(count) statements on \(schema) never waited for a lock at once")
    }

    @Test func aLimitLoweredWhileAClaimWaitsForTheQueueLockHoldsForThatClaim() async throws {
        try await TestDatabase.withStores { make in
            let store = try await make()
            let now = Date()
            try await store.upsertQueues([QueueConfig(name: "limited", concurrency: 5)])
            _ = try await store.insertRuns((0..<10).map { _ in NewRun(task: "t", queue: "limited", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
            try await TestDatabase.withClient(maximumConnections: 1) { client in
                try await client.withConnection { connection in
                    // Another process lowers the limit; the claim reads the old one, then waits
                    // for the queue's row, and must count the limit it finds once it holds it.
                    let logger = Logger(label: "test")
                    _ = try await connection.query("BEGIN", logger: logger)
                    _ = try await connection.query(
                        PostgresQuery(unsafeSQL: "UPDATE \"\(store.schema)\".queues SET concurrency = 1 WHERE name = 'limited'"), logger: logger
                    )
                    let claim = Task {
                        try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["limited"], limit: 5, now: now, leaseUntil: now + 60))
                    }
                    try await Self.waitForLockWaits(1, in: store.schema, connection)
                    _ = try await connection.query("COMMIT", logger: logger)
                    let claimed = try await claim.value
                    #expect(claimed.count == 1, "the limit the claim found when it held the queue's row")
                }
            }
        }
    }

    @Test func aQueueLimitHoldsAcrossEightClaimersAndEveryRunCompletesOnce() async throws {
        let runCount = 2_000, limit = 10, claimers = 8
        try await TestDatabase.withStores { make in
            let setup = try await make()
            try await setup.upsertQueues([QueueConfig(name: "limited", concurrency: limit)])
            let now = Date()
            let runs = (0..<runCount).map { _ in NewRun(task: "t", queue: "limited", payload: Data("{}".utf8), scheduledAt: now) }
            _ = try await setup.insertRuns(runs, now: now)

            // Runs a claimer holds: claimed, and not yet handed to completeAttempts. Each such run
            // is executing in the database, so this never exceeds the real count.
            let held = Shared(0)
            let peak = Shared(0)
            let completed = Shared(0)
            let done = Shared(false)
            let claimed = try await withThrowingTaskGroup(of: [RunID].self) { group in
                // Samples the executing count in the database, each reading one snapshot.
                group.addTask {
                    var highest = 0
                    while !done.withLock { $0 } {
                        highest = max(highest, try await setup.countRuns(statuses: [.executing]))
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    peak.withLock { $0 = max($0, highest) }
                    return []
                }
                for index in 0..<claimers {
                    group.addTask {
                        try await TestDatabase.withClient(maximumConnections: 2) { client in
                            let store = try PostgresRunStore(client: client, schema: setup.schema)
                            var mine: [RunID] = []
                            while completed.withLock({ $0 }) < runCount {
                                let batch = try await store.claimRuns(
                                    ClaimRequest(workerID: "w\(index)", queues: ["limited"], limit: 5, now: Date(), leaseUntil: Date() + 300)
                                )
                                if batch.isEmpty {
                                    // The queue is full: wait a little, as a worker would for a wake-up.
                                    try await Task.sleep(for: .milliseconds(5))
                                    continue
                                }
                                let holding = held.withLock { $0 += batch.count; return $0 }
                                #expect(holding <= limit, "\(holding) runs of a queue limited to \(limit) held at once")
                                peak.withLock { $0 = max($0, holding) }
                                mine += batch.map(\.id)
                                try await Task.sleep(for: .milliseconds(1))
                                held.withLock { $0 -= batch.count }
                                let results = try await store.completeAttempts(batch.map { run in
                                    AttemptCompletion(
                                        runID: run.id, attempt: run.attemptCount, guard: .worker("w\(index)"), endedAt: Date(),
                                        outcome: .succeeded, status: .completed, result: Data("null".utf8)
                                    )
                                })
                                #expect(results.allSatisfy { $0 != nil }, "every completion of a held run applies")
                                completed.withLock { $0 += batch.count }
                            }
                            return mine
                        }
                    }
                }
                var all: [RunID] = []
                var finished = 0
                for try await ids in group {
                    all += ids
                    finished += 1
                    if finished == claimers { done.withLock { $0 = true } }
                }
                return all
            }
            #expect(peak.withLock { $0 } <= limit, "the executing count never exceeded the limit")
            #expect(peak.withLock { $0 } > 1, "the claimers did run in parallel")
            #expect(claimed.count == runCount, "no run was claimed twice")
            #expect(Set(claimed) == Set(runs.map(\.id)), "every run was claimed")
            #expect(try await setup.countRuns(statuses: [.completed]) == runCount)
            let attempts = try await setup.listRuns(RunQuery(limit: 1000)).runs.map(\.attemptCount)
            #expect(attempts.allSatisfy { $0 == 1 }, "each run ran one attempt")
        }
    }
}
