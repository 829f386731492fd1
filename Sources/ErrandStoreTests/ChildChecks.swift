import Errand
import Foundation
import Testing

/// Child runs: an awaited child's end wakes its waiting parent, by any operation, once no other
/// awaited child is unfinished.
enum ChildChecks {
    static func waitingForFinishedChildrenIsDueAtOnce(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let ids = try await store.insertChildren(of: parent, awaited: [true, true], now: at(1))
        let children = try await store.claimChildren(now: at(2))
        try #require(children.count == 2)
        try await store.completeAttempts([
            completion(of: children[0], .completed, at: at(3)), completion(of: children[1], .failed, at: at(4)),
        ])
        let parked = try await store.complete(park(parent, at: at(5), for: .children(ids)))
        #expect(parked.status == .waiting)
        #expect(parked.scheduledAt == at(5), "its children are all final: due at once")
        #expect(try await store.nextDueTime(queues: nil) == at(5))
        #expect(try await store.claimOne(queues: ["parents"], now: at(5)).id == parent.id)
    }

    static func waitingForUnfinishedChildrenParks(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let ids = try await store.insertChildren(of: parent, awaited: [true, true], now: at(1))
        let children = try await store.claimChildren(now: at(2))
        try #require(children.count == 2)
        try await store.complete(completion(of: children[0], .completed, at: at(3)))
        let parked = try await store.complete(park(parent, at: at(5), for: .children(ids)))
        #expect(parked.scheduledAt == .distantFuture, "one child is still executing")
        #expect(try await store.nextDueTime(queues: nil) == nil)
    }

    static func awaitedChildCompletionWakesParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let ids = try await store.insertChildren(of: parent, awaited: [true, true], now: at(1))
        try await store.complete(park(parent, at: at(2), for: .children(ids)))
        let children = try await store.claimChildren(now: at(3))
        try #require(children.count == 2)
        try await store.complete(completion(of: children[0], .completed, at: at(4)))
        #expect(try await store.fetch(parent.id).scheduledAt == .distantFuture, "another awaited child is unfinished")
        try await store.complete(completion(of: children[1], .failed, at: at(6)))
        let woken = try await store.fetch(parent.id)
        #expect(woken.status == .waiting && woken.scheduledAt == at(6) && woken.updatedAt == at(6), "the last child's end wakes it")
        #expect(try await store.nextDueTime(queues: ["parents"]) == at(6))
        let resumed = try await store.claimOne(queues: ["parents"], now: at(6))
        #expect(resumed.id == parent.id && resumed.attemptCount == 2)
        #expect(resumed.failedAttemptCount == 1, "the resumed attempt counts, the suspended one does not")
    }

    static func awaitedChildCancelWakesParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let ids = try await store.insertChildren(of: parent, awaited: [true], now: at(1))
        try await store.complete(park(parent, at: at(2), for: .children(ids)))
        guard case .canceled = try await store.cancelRun(id: ids[0], now: at(7)) else {
            Issue.record("a queued child is canceled at once")
            return
        }
        let woken = try await store.fetch(parent.id)
        #expect(woken.scheduledAt == at(7) && woken.updatedAt == at(7), "a canceled child wakes its parent")
    }

    static func awaitedChildExpiryWakesParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let ids = try await store.insertChildren(of: parent, awaited: [true], now: at(1), expiresAt: at(5))
        try await store.complete(park(parent, at: at(2), for: .children(ids)))
        #expect(try await store.expireRuns(now: at(8), limit: 10).map(\.id) == ids)
        let woken = try await store.fetch(parent.id)
        #expect(woken.scheduledAt == at(8) && woken.updatedAt == at(8), "an expired child wakes its parent")
    }

    static func awaitedChildLeaseRescueWakesParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        let ids = try await store.insertChildren(of: parent, awaited: [true], now: at(1))
        try await store.complete(park(parent, at: at(2), for: .children(ids)))
        let child = try #require(try await store.claimChildren(now: at(3), lease: 10).first)
        let lapsed = try await store.expiredLeases(now: at(20), limit: 10)
        #expect(lapsed.map(\.id) == ids)
        let crashed = try await store.complete(rescue(child, before: at(20)))
        #expect(crashed.status == .crashed)
        let woken = try await store.fetch(parent.id)
        #expect(woken.scheduledAt == at(20), "a child lost with its worker wakes its parent")
    }

    static func nonAwaitedChildDoesNotWakeParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        try await store.insertChildren(of: parent, awaited: [false], now: at(1))
        try await store.complete(park(parent, at: at(2)))
        let child = try #require(try await store.claimChildren(now: at(3)).first)
        try await store.complete(completion(of: child, .completed, at: at(4)))
        #expect(try await store.fetch(parent.id).scheduledAt == .distantFuture, "a fire-and-forget child never wakes its parent")

        let second = try await store.claimedParent(now: at(10))
        let ids = try await store.insertChildren(of: second, awaited: [true, false], now: at(11))
        try await store.complete(park(second, at: at(12), for: .children([ids[0]])))
        let kids = try await store.claimChildren(now: at(13))
        let awaited = try #require(kids.first { $0.id == ids[0] })
        try await store.complete(completion(of: awaited, .completed, at: at(14)))
        #expect(try await store.fetch(second.id).scheduledAt == at(14), "an unfinished fire-and-forget child does not hold the parent")
    }

    static func childEndOnlyWakesWaitingParent(_ store: any RunStore) async throws {
        let parent = try await store.claimedParent()
        try await store.insertChildren(of: parent, awaited: [true], now: at(1))
        let child = try #require(try await store.claimChildren(now: at(2)).first)
        try await store.complete(completion(of: child, .completed, at: at(3)))
        let executing = try await store.fetch(parent.id)
        #expect(executing.status == .executing && executing.scheduledAt == t0, "an executing parent is left alone")
        let parked = try await store.complete(park(parent, at: at(4), until: at(50)))
        #expect(parked.scheduledAt == at(50), "without a wait target the finished child does not count")
    }

    static func childAndParentEndInOneBatch(_ store: any RunStore) async throws {
        // The child ends first, then the parent parks waiting for it.
        let first = try await store.claimedParent()
        let firstChildIDs = try await store.insertChildren(of: first, awaited: [true], now: at(1))
        let firstChild = try #require(try await store.claimChildren(now: at(2)).first)
        // The parent parks first, then its child ends.
        let second = try await store.claimedParent(now: at(3))
        let secondChildIDs = try await store.insertChildren(of: second, awaited: [true], now: at(4))
        let secondChild = try #require(try await store.claimChildren(now: at(5)).first)
        let results = try await store.completeAttempts([
            completion(of: firstChild, .completed, at: at(10)),
            park(first, at: at(11), for: .children(firstChildIDs)),
            park(second, at: at(12), for: .children(secondChildIDs)),
            completion(of: secondChild, .failed, at: at(13)),
        ])
        #expect(results.allSatisfy { $0 != nil })
        #expect(results[1]?.scheduledAt == at(11), "the child ended earlier in the batch: due at once")
        #expect(results[2]?.scheduledAt == .distantFuture, "returned as it parked")
        #expect(try await store.fetch(first.id).scheduledAt == at(11))
        #expect(try await store.fetch(second.id).scheduledAt == at(13), "woken by the child that ended after it parked")
        #expect(try await store.nextDueTime(queues: ["parents"]) == at(11))
    }
}
