import Errand
import Foundation
import Testing

/// Worker routing: required labels and slots.
enum RoutingChecks {
    static func labelledRunNeedsWorkerWithLabels(_ store: any RunStore) async throws {
        let gpu = routedRun(labels: ["gpu"], priority: 9)
        let both = routedRun(labels: ["large", "gpu"], priority: 8)
        let plain = routedRun()
        try await store.insert([gpu, both, plain])
        func claim(_ worker: String, labels: Set<String>) async throws -> [RunID] {
            try await store.claimRuns(ClaimRequest(workerID: worker, limit: 10, now: t0, leaseUntil: at(30), labels: labels)).map(\.id)
        }
        #expect(try await claim("plain", labels: []) == [plain.id], "a worker without labels only claims runs requiring none")
        #expect(try await claim("cpu", labels: ["cpu", "large"]) == [], "a worker lacking a required label claims nothing")
        #expect(try await claim("gpu", labels: ["gpu", "ssd"]) == [gpu.id], "extra labels do not matter; every required one must be there")
        let claimed = try await store.claimRuns(ClaimRequest(workerID: "big", limit: 10, now: t0, leaseUntil: at(30), labels: ["gpu", "large", "x"]))
        #expect(claimed.map(\.id) == [both.id])
        #expect(claimed.first?.requiredLabels == ["gpu", "large"], "claimed records carry their labels, sorted")
        #expect(try await store.fetch(gpu.id).workerID == "gpu")
    }

    static func slotsBoundTheClaimedCost(_ store: any RunStore) async throws {
        let runs = [
            routedRun(cost: 2, priority: 9), routedRun(cost: 2, priority: 8), routedRun(cost: 1, priority: 7),
            routedRun(cost: 1, priority: 6),
        ]
        try await store.insert(runs)
        let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 10, now: t0, leaseUntil: at(30), slots: 3))
        #expect(claimed.map(\.id) == [runs[0].id, runs[2].id], "a run that does not fit the slots left is skipped for a smaller later one")
        #expect(claimed.map(\.cost) == [2, 1])
        #expect(claimed.map(\.cost).reduce(0, +) <= 3)
        let none = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 10, now: t0, leaseUntil: at(30), slots: 0))
        #expect(none.isEmpty, "no slot, no claim")
        let rest = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 10, now: t0, leaseUntil: at(30)))
        #expect(rest.map(\.id) == [runs[1].id, runs[3].id], "without slots only the limit counts")
    }

    static func tooBigRunsAreSkippedBeyondTheLimit(_ store: any RunStore) async throws {
        let runs = [
            routedRun(cost: 3, priority: 9), routedRun(cost: 1, priority: 8), routedRun(cost: 5, priority: 7),
            routedRun(cost: 1, priority: 6), routedRun(cost: 1, priority: 5),
        ]
        try await store.insert(runs)
        let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 2, now: t0, leaseUntil: at(30), slots: 2))
        #expect(claimed.map(\.id) == [runs[1].id, runs[3].id], "skipped runs do not count toward the limit")
        let big = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 5, now: t0, leaseUntil: at(30), slots: 8))
        #expect(big.map(\.id) == [runs[0].id, runs[2].id], "the slots left after the first run fit the next")
    }

    static func skippedRunFreesItsGroupsRoom(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "g", concurrency: 1)])
        let runs = [
            routedRun(cost: 4, priority: 9, queue: "g", key: "k"), routedRun(cost: 1, priority: 8, queue: "g", key: "k"),
            routedRun(cost: 1, priority: 7, queue: "g", key: "k"), routedRun(labels: ["gpu"], priority: 6, queue: "g"),
            routedRun(cost: 1, priority: 5, queue: "g"),
        ]
        try await store.insert(runs)
        let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 10, now: t0, leaseUntil: at(30), slots: 3))
        #expect(
            claimed.map(\.id) == [runs[1].id, runs[4].id],
            "a run too big for the slots does not take its group's room; a group's limit still holds; labels still apply"
        )
    }
}
