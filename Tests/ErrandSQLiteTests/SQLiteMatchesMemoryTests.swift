import Errand
import ErrandSQLite
import ErrandStoreTests
import Foundation
import Testing

/// The same random workload against ``MemoryRunStore`` (the reference) and ``SQLiteRunStore``
/// must give the same answers, call for call.
@Suite("SQLiteRunStore matches MemoryRunStore")
struct SQLiteMatchesMemoryTests {
    /// The seeded generator the randomized checks share (replayable from its seed).
    typealias SeededGenerator = SplitMix64

    let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    /// The reference store and an SQLite store at `path`, both with `queues` configured.
    static func storePair(at path: String, queues: [QueueConfig]) async throws -> (MemoryRunStore, SQLiteRunStore) {
        let memory = MemoryRunStore()
        let sqlite = try SQLiteRunStore(path: path)
        try await memory.upsertQueues(queues)
        try await sqlite.upsertQueues(queues)
        return (memory, sqlite)
    }

    func randomRuns(_ count: Int, around now: Date, _ random: inout SeededGenerator) -> [NewRun] {
        (0..<count).map { _ in
            NewRun(
                task: ["a", "b"].randomElement(using: &random)!,
                queue: ["fast", "slow", "single", "open"].randomElement(using: &random)!,
                concurrencyKey: [nil, nil, "k1", "k2", "k3"].randomElement(using: &random)!,
                priority: Int.random(in: -1...2, using: &random),
                payload: Data("{}".utf8),
                tags: [["x"], ["y"], [], ["x", "y"]].randomElement(using: &random)!,
                idempotencyKey: Int.random(in: 0..<6, using: &random) == 0 ? "key\(Int.random(in: 0..<4, using: &random))" : nil,
                idempotencyExpiresAt: now + Double(Int.random(in: -5...60, using: &random)),
                scheduledAt: now + Double(Int.random(in: -30...40, using: &random)),
                expiresAt: Bool.random(using: &random) ? now + Double(Int.random(in: 0...60, using: &random)) : nil
            )
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomWorkloadGivesTheSameAnswers(seed: UInt64) async throws {
        try await withTemporaryPath { path in
            var random = SeededGenerator(seed: seed)
            let (memory, sqlite) = try await Self.storePair(
                at: path, queues: [QueueConfig(name: "fast", concurrency: 3), QueueConfig(name: "single", concurrency: 1), QueueConfig(name: "slow")]
            )
            let stores: [any RunStore] = [memory, sqlite]
            var executing: [RunRecord] = []
            var claimedCount = 0, appliedCount = 0
            for round in 0..<60 {
                let now = t0 + Double(round * 5)
                if round.isMultiple(of: 4) {
                    let runs = randomRuns(Int.random(in: 1...40, using: &random), around: now, &random)
                    let inserted = try await memory.insertRuns(runs, now: now)
                    #expect(try await sqlite.insertRuns(runs, now: now) == inserted, "round \(round): insert")
                }
                if round % 10 == 7 {
                    let paused = Bool.random(using: &random)
                    for store in stores { try await store.setQueuePaused("slow", paused: paused) }
                }
                let request = ClaimRequest(
                    workerID: "w\(round % 3)",
                    queues: [nil, ["fast"], ["single", "open"], ["slow", "fast", "missing"]].randomElement(using: &random)!,
                    limit: Int.random(in: 0...8, using: &random), now: now, leaseUntil: now + 12
                )
                let claimed = try await memory.claimRuns(request)
                #expect(try await sqlite.claimRuns(request) == claimed, "round \(round): claim \(request)")
                executing += claimed
                claimedCount += claimed.count

                var completions: [AttemptCompletion] = []
                executing.shuffle(using: &random)
                while let run = executing.popLast(), Bool.random(using: &random) {
                    let status: RunStatus = [.completed, .failed, .retrying, .waiting, .canceled].randomElement(using: &random)!
                    completions.append(AttemptCompletion(
                        runID: run.id, attempt: run.attemptCount, guard: .worker(run.workerID!), endedAt: now + 1,
                        outcome: status == .completed ? .succeeded : .failed, status: status,
                        retryAt: status == .retrying ? now + Double(Int.random(in: 1...30, using: &random)) : nil,
                        result: status == .completed ? Data("\(round)".utf8) : nil,
                        error: status == .completed ? nil : RunError(type: "runtime", name: "E", message: "round \(round)"),
                        executionTime: .milliseconds(Int.random(in: 1...999, using: &random))
                    ))
                }
                let rescues = try await memory.expiredLeases(now: now, limit: 5)
                #expect(try await sqlite.expiredLeases(now: now, limit: 5) == rescues, "round \(round): expired leases")
                for run in rescues {
                    completions.append(AttemptCompletion(
                        runID: run.id, attempt: run.attemptCount, guard: .leaseExpired(before: now), endedAt: now,
                        outcome: .crashed, status: .retrying, retryAt: now + 3
                    ))
                }
                let completed = try await memory.completeAttempts(completions)
                #expect(try await sqlite.completeAttempts(completions) == completed, "round \(round): complete")
                appliedCount += completed.compactMap { $0 }.count

                if round % 6 == 5, let target = claimed.first {
                    let canceled = try await memory.cancelRun(id: target.id, now: now)
                    #expect(try await sqlite.cancelRun(id: target.id, now: now) == canceled, "round \(round): cancel")
                    let beat = try await memory.heartbeat(runs: claimed.map(\.id), workerID: request.workerID, leaseUntil: now + 20, now: now)
                    #expect(
                        try await sqlite.heartbeat(runs: claimed.map(\.id), workerID: request.workerID, leaseUntil: now + 20, now: now) == beat,
                        "round \(round): heartbeat"
                    )
                }
                if round % 9 == 8 {
                    let expired = try await memory.expireRuns(now: now, limit: 3)
                    #expect(try await sqlite.expireRuns(now: now, limit: 3) == expired, "round \(round): expire")
                    #expect(try await sqlite.nextDueTime(queues: nil) == (try await memory.nextDueTime(queues: nil)))
                    #expect(try await sqlite.nextDueTime(queues: ["fast"]) == (try await memory.nextDueTime(queues: ["fast"])))
                }
            }
            #expect(claimedCount > 40 && appliedCount > 20, "the workload claimed \(claimedCount) and completed \(appliedCount) runs")
            for query in [
                RunQuery(limit: 1000), RunQuery(task: "a", limit: 7), RunQuery(statuses: [.completed, .failed], limit: 1000),
                RunQuery(tag: "x", limit: 1000), RunQuery(createdFrom: t0 + 40, createdTo: t0 + 200, limit: 1000),
            ] {
                let expected = try await memory.listRuns(query)
                #expect(try await sqlite.listRuns(query) == expected, "list \(query)")
            }
            #expect(try await sqlite.queueStates() == (try await memory.queueStates()), "queue states")
            let listed = try await memory.listRuns(RunQuery(limit: 1000)).runs
            for run in listed {
                #expect(try await sqlite.run(id: run.id) == (try await memory.run(id: run.id)), "run \(run.id)")
            }
            let cutoffs: [RunStatus: Date] = [.completed: t0 + 200, .failed: t0 + 150, .canceled: t0 + 400]
            let pruned = try await memory.pruneRuns(finishedBefore: cutoffs, limit: 10_000)
            #expect(try await sqlite.pruneRuns(finishedBefore: cutoffs, limit: 10_000) == pruned, "prune")
            #expect(try await sqlite.listRuns(RunQuery(limit: 1000)) == (try await memory.listRuns(RunQuery(limit: 1000))), "after pruning")
        }
    }
}
