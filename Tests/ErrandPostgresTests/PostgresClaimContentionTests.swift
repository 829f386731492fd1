import Errand
import ErrandPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// A value tasks share.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}

/// Queue limits hold across processes: claimers with pools of their own (as separate processes
/// would have) race on one limited queue.
@Suite("PostgresRunStore claims under contention")
struct PostgresClaimContentionTests {
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
                    var waiting = 0
                    for _ in 0..<1_000 where waiting == 0 {
                        let rows = try await connection.query(
                            "SELECT count(*)::int8 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
                            logger: logger
                        )
                        for try await count in rows.decode(Int64.self) { waiting = Int(count) }
                        if waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
                    }
                    #expect(waiting > 0, "the claim waits for the queue's row")
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
