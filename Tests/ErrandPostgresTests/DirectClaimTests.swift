import Errand
import ErrandStoreTests
import Foundation
import PostgresNIO
import Testing

@testable import ErrandPostgres

/// `DirectClaimStatements`, the one-statement claim: on identical data it must claim exactly what
/// the full claim (`ClaimStatements`) claims, in the same order, or decline.
@Suite("PostgreSQL one-statement claims")
struct DirectClaimTests {
    /// Random runs over three queues: priorities, start times (a few parked, due during the
    /// rounds), keys, costs, labels and time-to-live vary.
    static func workload(seed: UInt64, count: Int, start: Date) -> [NewRun] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let queue = ["a", "b", "c"].randomElement(using: &generator)!
            let roll = Int.random(in: 0..<100, using: &generator)
            return NewRun(
                task: "t", queue: queue, concurrencyKey: roll < 15 ? "k\(roll % 3)" : nil,
                priority: Int.random(in: 0..<3, using: &generator), payload: Data("{}".utf8),
                scheduledAt: start.addingTimeInterval(Double(roll < 85 ? -roll % 20 : 10 + roll)),
                expiresAt: roll > 90 ? start.addingTimeInterval(Double(roll - 90)) : nil,
                requiredLabels: roll % 17 == 0 ? ["gpu"] : [], cost: roll == 7 ? 2 : 1
            )
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func claimsWhatTheFullClaimClaimsInTheSameOrder(seed: UInt64) async throws {
        try await TestDatabase.withStores { make in
            let direct = try await make(), full = try await make()
            let start = Date(timeIntervalSinceReferenceDate: 800_000_000)
            let runs = Self.workload(seed: seed, count: 300, start: start)
            for store in [direct, full] { _ = try await store.insertRuns(runs, now: start) }
            var generator = SplitMix64(seed: seed &+ 100)
            var tookDirectPath = 0
            for round in 0..<60 {
                let now = start.addingTimeInterval(Double(round))
                let queues = Set(["a", "b", "c"].filter { _ in Bool.random(using: &generator) })
                let request = ClaimRequest(
                    workerID: "w", queues: queues.isEmpty ? ["a"] : queues, limit: Int.random(in: 1...12, using: &generator), now: now,
                    leaseUntil: now.addingTimeInterval(3600), labels: Bool.random(using: &generator) ? ["gpu"] : [],
                    slots: Bool.random(using: &generator) ? nil : Int.random(in: 0...14, using: &generator)
                )
                if round == 30 { for store in [direct, full] { try await store.upsertQueues([QueueConfig(name: "c", concurrency: 2)]) } }
                let viaDirect = try await direct.session { try await DirectClaimStatements.claim(request, direct.tables, $0) }
                let claimedDirect: [RunRecord]
                switch viaDirect {
                case .claimed(let runs):
                    tookDirectPath += 1
                    claimedDirect = runs
                case .declined(let limited):
                    #expect(limited == (round >= 30 && request.queues?.contains("c") == true), "round \(round): declined, limited: \(limited)")
                    claimedDirect = try await direct.claimRuns(request)
                }
                let claimedFull = try await full.transaction { try await ClaimStatements.claim(request, full.tables, $0) }.runs
                #expect(claimedDirect.map(\.id) == claimedFull.map(\.id), "round \(round): \(request)")
                #expect(claimedDirect.map(\.attemptCount) == claimedFull.map(\.attemptCount))
                // Some of the claimed runs end, so later rounds see freed and retried runs.
                for (store, claimed) in [(direct, claimedDirect), (full, claimedFull)] {
                    let ending = claimed.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
                    _ = try await store.completeAttempts(ending.map {
                        AttemptCompletion(
                            runID: $0.id, attempt: $0.attemptCount, guard: .worker("w"), endedAt: now, outcome: .failed,
                            status: .retrying, retryAt: now.addingTimeInterval(Double(round % 3 == 0 ? 5 : 500)), executionTime: .zero
                        )
                    })
                }
            }
            #expect(tookDirectPath > 10, "the one-statement claim applied in \(tookDirectPath) of 60 rounds")
            let directAttempts = try await direct.countRuns(statuses: [.executing])
            #expect(directAttempts == (try await full.countRuns(statuses: [.executing])))
        }
    }

    @Test func claimsOnALimitedQueueSkipTheOneStatementClaimForAWhile() async throws {
        try await TestDatabase.withStore { store in
            let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
            try await store.upsertQueues([QueueConfig(name: "limited", concurrency: 1)])
            _ = try await store.insertRuns((0..<3).map { _ in NewRun(task: "t", queue: "limited", payload: Data("{}".utf8), scheduledAt: now) }, now: now)
            func claim(at time: Date) async throws -> [RunRecord] {
                try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["limited"], limit: 5, now: time, leaseUntil: time.addingTimeInterval(60)))
            }
            #expect(!store.limitedQueueSets.isPaused(["limited"], at: now))
            #expect(try await claim(at: now).count == 1, "the full claim holds the limit")
            #expect(store.limitedQueueSets.isPaused(["limited"], at: now.addingTimeInterval(1)), "the declined set skips the one statement")
            #expect(try await claim(at: now.addingTimeInterval(1)).isEmpty, "still within the limit")
            #expect(!store.limitedQueueSets.isPaused(["limited"], at: now.addingTimeInterval(PostgresRunStore.directClaimPause + 1)))
            #expect(!store.limitedQueueSets.isPaused(["other"], at: now), "other queue sets are not affected")
        }
    }

    /// Statistics read while `runs` was empty (a fresh schema, or just before a burst) price a
    /// scan of the partial index `runs_claim` at one row. A claim must still find the runs it
    /// locked by their primary key, not by reading every queued run: with 20,000 queued and
    /// autovacuum off (so the statistics stay stale), claiming 10 reads only a few pages of
    /// `runs_claim` on both paths. Before the fix the update scanned all of it, with the claimed
    /// runs' sequences as a condition on its last column (75 ms a claim with 40,000 queued).
    @Test(arguments: [true, false])
    func aClaimReadsOnlyItsCandidatesWhenTheStatisticsSayTheTableIsEmpty(oneStatement: Bool) async throws {
        // One connection, so the claim's backend is the one that flushes its statistics.
        try await TestDatabase.withClient(maximumConnections: 1) { client in
            try await TestDatabase.withStores(client: client) { make in
                let store = try await make()
                let runs = "\"\(store.schema)\".runs"
                func execute(_ sql: String) async throws -> [PostgresRow] {
                    try await client.query(PostgresQuery(unsafeSQL: sql)).collect()
                }
                _ = try await execute("VACUUM ANALYZE \(runs)")
                _ = try await execute("ALTER TABLE \(runs) SET (autovacuum_enabled = false)")
                let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
                _ = try await execute(
                    """
                    INSERT INTO \(runs) (id, task, queue, status, priority, payload, tags, created_at, scheduled_at, updated_at, max_attempts)
                    SELECT 'run_stale_' || g, 't', 'q', 'queued', 0, '\\x7b7d', '{}', \(now.timeIntervalSinceReferenceDate),
                        \(now.timeIntervalSinceReferenceDate) + g, \(now.timeIntervalSinceReferenceDate), 1
                    FROM generate_series(1, 20000) AS g
                    """
                )
                func pagesRead() async throws -> Int {
                    // Flushes this backend's counters (PostgreSQL 15) before they are read.
                    _ = try await execute("SELECT pg_stat_force_next_flush()")
                    let rows = try await execute(
                        "SELECT idx_blks_hit + idx_blks_read FROM pg_statio_user_indexes WHERE schemaname = '\(store.schema)' AND indexrelname = 'runs_claim'"
                    )
                    return try rows.first?.decode(Int.self) ?? -1
                }
                let before = try await pagesRead()
                let request = ClaimRequest(
                    workerID: "w", queues: ["q"], limit: 10, now: now.addingTimeInterval(100_000), leaseUntil: now.addingTimeInterval(100_060)
                )
                let claimed: [RunRecord]
                if oneStatement {
                    guard case .claimed(let runs) = try await store.session({ try await DirectClaimStatements.claim(request, store.tables, $0) }) else {
                        Issue.record("the one-statement claim declined")
                        return
                    }
                    claimed = runs
                } else {
                    claimed = try await store.transaction { try await ClaimStatements.claim(request, store.tables, $0) }.runs
                }
                #expect(claimed.map(\.id.rawValue) == (1...10).map { "run_stale_\($0)" })
                let read = try await pagesRead() - before
                let size = try await execute("SELECT pg_relation_size('\"\(store.schema)\".runs_claim') / 8192").first?.decode(Int.self) ?? 0
                #expect(read < 20, "the claim read \(read) of the \(size) pages of runs_claim to claim 10 runs")
            }
        }
    }

    /// A claim's commit skips the wait for the disk (`synchronous_commit` is `off` for its
    /// transaction) unless the store's claims are durable or the claim took runs of a limited
    /// queue. The claim runs here inside a transaction, so the setting it left can be read; the
    /// transaction starts with the setting `on`, whatever the test server's default.
    @Test(arguments: [true, false], [false, true])
    func aClaimDoesNotWaitForTheDiskUnlessDurableOrOnALimitedQueue(oneStatement: Bool, durable: Bool) async throws {
        try await TestDatabase.withStores { make in
            let store = try await make()
            let now = Date(timeIntervalSinceReferenceDate: 800_000_000)
            try await store.upsertQueues([QueueConfig(name: "limited", concurrency: 2)])
            let runs = ["free", "free", "limited", "limited"].map {
                NewRun(task: "t", queue: $0, payload: Data("{}".utf8), scheduledAt: now, maxAttempts: 1)
            }
            _ = try await store.insertRuns(runs, now: now)
            func claim(_ queues: Set<String>) async throws -> (claimed: [String], setting: String?) {
                let request = ClaimRequest(workerID: "w", queues: queues, limit: 1, now: now, leaseUntil: now.addingTimeInterval(60))
                return try await store.transaction { session in
                    try await session.execute("SET LOCAL synchronous_commit = on")
                    let claimed: [RunRecord]
                    if oneStatement {
                        let outcome = try await DirectClaimStatements.claim(request, store.tables, session, durable: durable)
                        guard case .claimed(let runs) = outcome else { return ([], nil) }
                        claimed = runs
                    } else {
                        claimed = try await ClaimStatements.claim(request, store.tables, session, durable: durable).runs
                    }
                    let setting = try await session.map("SELECT current_setting('synchronous_commit')") { try $0.string(0) }.first
                    return (claimed.map(\.queue), setting)
                }
            }
            let free = try await claim(["free"])
            #expect(free.claimed == ["free"])
            #expect(free.setting == (durable ? "on" : "off"))
            if !oneStatement {
                let limited = try await claim(["limited"])
                #expect(limited.claimed == ["limited"])
                #expect(limited.setting == "on", "a claim on a limited queue always waits for the disk")
            }
        }
    }

    @Test func claimsWaitForTheDiskByDefaultAndADatabaseURLCanLetThemNot() throws {
        #expect(PostgresRunStore.Configuration().durableClaims)
        #expect(try PostgresRunStore.Configuration(url: "postgres://app@db/jobs").durableClaims)
        let both = try PostgresRunStore.Configuration(url: "postgres://app@db/jobs?prepared_statements=off&durable_claims=off")
        #expect(!both.durableClaims && !both.preparedStatements)
        #expect(try PostgresRunStore.Configuration(url: "postgres://app@db/jobs?durable_claims=on").durableClaims)
        let error = #expect(throws: ErrandError.self) { try PostgresRunStore.Configuration(url: "postgres://app@db/jobs?durable_claims=sometimes") }
        #expect(error?.field == "durable_claims")
        #expect(error?.message.contains("sometimes") == true && error?.message.contains("on or off") == true, "\(String(describing: error))")
    }
}
