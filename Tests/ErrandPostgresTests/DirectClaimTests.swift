import Errand
import ErrandStoreTests
import Foundation
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
                let claimedFull = try await full.transaction { try await ClaimStatements.claim(request, full.tables, $0) }
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
}
