import Errand
import Foundation
import Testing

/// Which runs a claim takes, in which order, and what it records.
enum ClaimChecks {
    static func claimOrder(_ store: any RunStore) async throws {
        let low = makeRun(priority: -1, due: at(-100))
        let olderA = makeRun(priority: 0, due: at(-10))
        let oldest = makeRun(priority: 0, due: at(-20))
        let highNow = makeRun(priority: 5, due: at(0))
        let olderB = makeRun(priority: 0, due: at(-10))
        let highEarlier = makeRun(priority: 5, due: at(-5))
        try await store.insert([low, olderA, oldest, highNow], now: t0)
        try await store.insert([olderB, highEarlier], now: t0)
        let expected = [highEarlier, highNow, oldest, olderA, olderB, low].map(\.id)
        var order: [RunID] = []
        for _ in expected { order.append(try await store.claimOne().id) }
        #expect(order == expected, "priority desc, then scheduledAt, then sequence")
        #expect(try await store.claim().isEmpty)
    }

    static func delayedRunWaitsUntilDue(_ store: any RunStore) async throws {
        let run = makeRun(due: at(60))
        try await store.insert([run], now: t0)
        #expect(try await store.claim(now: at(59)).isEmpty, "not due yet")
        #expect(try await store.fetch(run.id).status == .delayed)
        let claimed = try await store.claim(now: at(60))
        #expect(claimed.map(\.id) == [run.id], "due at exactly its scheduledAt")
    }

    static func claimRespectsLimit(_ store: any RunStore) async throws {
        try await store.insertDue(10)
        #expect(try await store.claim(limit: 0).isEmpty, "limit 0 claims nothing")
        #expect(try await store.claim(limit: 3).count == 3)
        #expect(try await store.claim(limit: 4).count == 4)
        #expect(try await store.claim(limit: 50).count == 3)
        #expect(try await store.ids(in: [.executing]).count == 10)
    }

    static func claimOnlyListedQueues(_ store: any RunStore) async throws {
        let a = try await store.insertDue(2, queue: "a")
        let b = try await store.insertDue(2, queue: "b")
        let c = try await store.insertDue(2, queue: "c")
        #expect(try await store.claim(queues: []).isEmpty, "an empty set of queues claims nothing")
        let fromAB = try await store.claim(queues: ["a", "b", "missing"])
        #expect(Set(fromAB.map(\.id)) == Set(a + b))
        let fromAll = try await store.claim(queues: nil)
        #expect(Set(fromAll.map(\.id)) == Set(c), "nil means every queue")
    }

    /// A claim says whether it may have left claimable runs behind: not when it took every
    /// claimable run of queues without a limit, or found none; yes when a queue's limit or the
    /// slots held a run back (a worker then claims again when one of its attempts ends).
    static func claimSaysWhetherItLeftRunsBehind(_ store: any RunStore) async throws {
        func claim(_ queues: Set<String>?, slots: Int? = nil) async throws -> ClaimOutcome {
            try await store.claimRunsWithOutcome(ClaimRequest(
                workerID: "w1", queues: queues, limit: 10, now: t0, leaseUntil: t0.addingTimeInterval(30), slots: slots
            ))
        }
        let nothing = try await claim(["q"])
        #expect(nothing.runs.isEmpty && !nothing.mayHaveHeldBack, "nothing due, nothing left behind")
        let due = try await store.insertDue(3, queue: "q")
        let all = try await claim(["q"])
        #expect(all.runs.map(\.id) == due)
        #expect(!all.mayHaveHeldBack, "every claimable run was taken")
        let others = try await store.insertDue(2, queue: "r")
        let everyQueue = try await claim(nil)
        #expect(everyQueue.runs.map(\.id) == others)
        #expect(!everyQueue.mayHaveHeldBack, "every queue, none with a limit")
        try await store.upsertQueues([QueueConfig(name: "one", concurrency: 1)])
        try await store.insertDue(2, queue: "one")
        let limited = try await claim(["one"])
        #expect(limited.runs.count == 1)
        #expect(limited.mayHaveHeldBack, "the second run of a queue limited to one waits for the first")
        var big = makeRun(queue: "big")
        big.cost = 3
        try await store.insert([big])
        let costly = try await claim(["big"], slots: 2)
        #expect(costly.runs.isEmpty)
        #expect(costly.mayHaveHeldBack, "a run costing 3 waits for 3 free slots")
        #expect(try await claim(["big"], slots: 3).runs.map(\.id) == [big.id])
    }

    static func claimStartsAttempt(_ store: any RunStore) async throws {
        let id = try await store.insertDue(1)[0]
        let claimed = try await store.claimOne("worker-7", now: at(5), lease: 30)
        #expect(claimed.id == id)
        for record in [claimed, try await store.fetch(id)] {
            #expect(record.status == .executing)
            #expect(record.attemptCount == 1)
            #expect(record.workerID == "worker-7")
            #expect(record.leaseExpiresAt == at(35))
            #expect(record.submittedAt == at(5))
            #expect(record.updatedAt == at(5))
        }
        let attempts = try await store.fetch(id).attempts
        #expect(attempts == [AttemptRecord(number: 1, workerID: "worker-7", startedAt: at(5))], "run(id:) shows the attempt")
    }

    static func secondAttemptKeepsSubmittedAt(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let first = try await store.claimOne("w1", now: at(5))
        try await store.complete(completion(of: first, .retrying, at: at(10), retryAt: at(20)))
        let second = try await store.claimOne("w2", now: at(20), lease: 60)
        #expect(second.attemptCount == 2)
        #expect(second.submittedAt == at(5), "submittedAt is the first attempt's start")
        #expect(second.workerID == "w2")
        #expect(second.leaseExpiresAt == at(80))
        let attempts = try await store.fetch(first.id).attempts
        #expect(attempts == [
            AttemptRecord(number: 1, workerID: "w1", startedAt: at(5), endedAt: at(10), outcome: .failed, error: sampleError),
            AttemptRecord(number: 2, workerID: "w2", startedAt: at(20)),
        ])
    }

    static func expiredRunIsNotClaimed(_ store: any RunStore) async throws {
        let short = makeRun(due: at(0), expiresAt: at(10))
        let long = makeRun(due: at(0), expiresAt: at(100))
        try await store.insert([short, long], now: t0)
        let claimed = try await store.claim(now: at(20))
        #expect(claimed.map(\.id) == [long.id], "a run whose time to live passed is not claimed")
        #expect(try await store.fetch(short.id).attemptCount == 0)
    }

    static func startedRunOutlivesTimeToLive(_ store: any RunStore) async throws {
        let run = makeRun(due: at(0), expiresAt: at(10))
        try await store.insert([run], now: t0)
        let first = try await store.claimOne(now: at(1))
        try await store.complete(completion(of: first, .retrying, at: at(5), retryAt: at(30)))
        let claimed = try await store.claim(now: at(30))
        #expect(claimed.map(\.id) == [run.id], "the time to live only applies until the first attempt starts")
    }
}
