import Errand
import Foundation
import Testing

@Suite("ClaimWalk")
struct ClaimWalkTests {
    func request(limit: Int, slots: Int? = nil) -> ClaimRequest {
        ClaimRequest(workerID: "w", limit: limit, now: Date(timeIntervalSince1970: 0), leaseUntil: Date(timeIntervalSince1970: 30), slots: slots)
    }

    @Test func claimOrderIsPriorityThenDueTimeThenSequence() {
        typealias Order = ClaimWalk<String>.Order
        #expect(ClaimWalk<String>.precedes(Order(priority: 2, scheduledAt: 9, sequence: 9), Order(priority: 1, scheduledAt: 0, sequence: 0)))
        #expect(ClaimWalk<String>.precedes(Order(priority: 1, scheduledAt: 0, sequence: 9), Order(priority: 1, scheduledAt: 1, sequence: 0)))
        #expect(ClaimWalk<String>.precedes(Order(priority: 1, scheduledAt: 0, sequence: 1), Order(priority: 1, scheduledAt: 0, sequence: 2)))
        #expect(!ClaimWalk<String>.precedes(Order(priority: 1, scheduledAt: 0, sequence: 2), Order(priority: 1, scheduledAt: 0, sequence: 2)))
    }

    @Test func theLimitEndsTheWalk() {
        var walk = ClaimWalk<String>(request(limit: 2))
        let first = walk.offer(cost: 1, group: "a", room: nil)
        let fullAfterOne = walk.isFull
        let second = walk.offer(cost: 1, group: "a", room: nil)
        let fullAfterTwo = walk.isFull
        let third = walk.offer(cost: 1, group: "a", room: nil)
        #expect([first, second, third] == [true, true, false], "nothing is taken once full")
        #expect(!fullAfterOne)
        #expect(fullAfterTwo)
        #expect(walk.taken == 2)
    }

    @Test func aCostlyCandidateIsSkippedForACheaperLaterOne() {
        var walk = ClaimWalk<String>(request(limit: 10, slots: 3))
        let taken = [2, 2, 1].map { walk.offer(cost: $0, group: "a", room: nil) }
        #expect(taken == [true, false, true])
        #expect(walk.skippedForCost)
        #expect(walk.isFull, "no slot left")
    }

    @Test func aFullGroupIsSkippedAndASkippedRunTakesNoRoom() {
        var walk = ClaimWalk<String>(request(limit: 10, slots: 3))
        let taken = [(4, "g"), (1, "g"), (1, "g"), (1, "other")].map { walk.offer(cost: $0.0, group: $0.1, room: 1) }
        #expect(taken == [false, true, false, true], "a too costly run is skipped before its group is counted; then the group's room runs out")
        #expect(!walk.isFull)
    }
}
