import Errand
import Foundation
import Testing

/// Queue settings: pausing, concurrency limits (per queue and per concurrency key), queue states.
enum QueueChecks {
    static func pausedQueueIsSkipped(_ store: any RunStore) async throws {
        let paused = try await store.insertDue(2, queue: "p")
        let open = try await store.insertDue(2, queue: "q")
        try await store.setQueuePaused("p", paused: true)
        #expect(try await store.queueState("p").paused)
        let claimed = try await store.claim()
        #expect(Set(claimed.map(\.id)) == Set(open), "a paused queue is skipped")
        #expect(try await store.claim(queues: ["p"]).isEmpty, "even when asked for by name")
        try await store.setQueuePaused("p", paused: false)
        #expect(try await store.queueState("p").paused == false)
        #expect(Set(try await store.claim().map(\.id)) == Set(paused), "resumed")
    }

    static func queueConcurrencyLimit(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "q", concurrency: 2)])
        try await store.insertDue(10)
        let first = try await store.claim("w1", limit: 10)
        #expect(first.count == 2, "limit 2")
        #expect(try await store.claim("w2", limit: 10).isEmpty, "the limit counts other workers' runs")
        try await store.complete(completion(of: first[0], .completed, at: at(1)))
        let next = try await store.claim("w2", limit: 10, now: at(1))
        #expect(next.count == 1, "one slot freed")
        #expect(try await store.ids(in: [.executing]).count == 2)
    }

    static func concurrencyKeyLimits(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "q", concurrency: 2)])
        try await store.insert((0..<12).map { index in makeRun(key: [nil, "a", "b"][index % 3]) })
        let claimed = try await store.claim(limit: 100)
        #expect(claimed.count == 6, "two for each of: key a, key b, no key")
        for key in [nil, "a", "b"] as [String?] {
            #expect(claimed.filter { $0.concurrencyKey == key }.count == 2, "group \(key ?? "none")")
        }
        #expect(try await store.claim(limit: 100).isEmpty)
        let done = try #require(claimed.first { $0.concurrencyKey == "a" })
        try await store.complete(completion(of: done, .completed, at: at(1)))
        let next = try await store.claim(limit: 100, now: at(1))
        #expect(next.map(\.concurrencyKey) == ["a"], "only key a's group has a free slot")
    }

    static func upsertKeepsPauseFlag(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "q", concurrency: 1), QueueConfig(name: "r")])
        try await store.setQueuePaused("q", paused: true)
        try await store.upsertQueues([QueueConfig(name: "q", concurrency: 5)])
        let q = try await store.queueState("q")
        #expect(q.config == QueueConfig(name: "q", concurrency: 5), "settings updated")
        #expect(q.paused, "pause flag kept")
        #expect(try await store.queueState("r") == QueueState(config: QueueConfig(name: "r"), paused: false, counts: [:]))
    }

    static func pausingUnknownQueueCreatesIt(_ store: any RunStore) async throws {
        try await store.setQueuePaused("new", paused: true)
        #expect(try await store.queueState("new") == QueueState(config: QueueConfig(name: "new"), paused: true, counts: [:]))
        try await store.insertDue(3, queue: "new")
        #expect(try await store.claim().isEmpty, "the new queue is paused")
    }

    static func creatingMissingQueuesLeavesKnownOnesAlone(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "q", concurrency: 2)])
        try await store.setQueuePaused("q", paused: true)
        try await store.createMissingQueues(["q", "new", "new"])
        #expect(try await store.queueState("q") == QueueState(config: QueueConfig(name: "q", concurrency: 2), paused: true, counts: [:]),
                "a known queue keeps its limit and its pause")
        #expect(try await store.queueState("new") == QueueState(config: QueueConfig(name: "new"), paused: false, counts: [:]),
                "an unknown one is created, with no limit, not paused")
        try await store.createMissingQueues([])
        #expect(try await store.queueStates().map(\.config.name) == ["new", "q"])
    }

    static func queueStatesCountByStatus(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "empty", concurrency: 3)])
        try await store.insertDue(5, queue: "q")
        try await store.insert([makeRun(queue: "q", due: at(1000)), makeRun(queue: "other")])
        let claimed = try await store.claim(queues: ["q"], limit: 3)
        try await store.complete(completion(of: claimed[0], .completed, at: at(1)))
        try await store.complete(completion(of: claimed[1], .retrying, at: at(1), retryAt: at(500)))
        let q = try await store.queueState("q")
        let expected: [RunStatus: Int] = [.queued: 2, .delayed: 1, .executing: 1, .retrying: 1]
        for status in RunStatus.allCases {
            #expect(q.counts[status, default: 0] == expected[status, default: 0], "\(status) runs in q (finished runs are not counted)")
        }
        #expect(try await store.queueState("other").counts[.queued] == 1, "a queue holding runs is listed without settings")
        let empty = try await store.queueState("empty")
        #expect(empty.config.concurrency == 3)
        #expect(empty.counts.values.allSatisfy { $0 == 0 })
    }
}
