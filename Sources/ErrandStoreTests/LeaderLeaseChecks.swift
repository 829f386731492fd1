import Errand
import Foundation
import Testing

/// Leader leases: taking, renewing, refusing, expiring, releasing, racing.
enum LeaderLeaseChecks {
    static let name = "errand.leader"

    static func firstHolderTakesTheLease(_ store: any LeaseStore) async throws {
        let lease = try await store.acquireLease(name, holder: "a", until: at(15), now: at(0))
        #expect(lease == Lease(name: name, holder: "a", expiresAt: at(15), acquiredAt: at(0)))
    }

    static func holderRenews(_ store: any LeaseStore) async throws {
        _ = try await store.acquireLease(name, holder: "a", until: at(15), now: at(0))
        let renewed = try await store.acquireLease(name, holder: "a", until: at(20), now: at(5))
        #expect(renewed.holder == "a")
        #expect(renewed.expiresAt == at(20), "renewal moves the expiry")
        #expect(renewed.acquiredAt == at(0), "a renewal keeps the time the holder first took it")
    }

    static func otherHolderIsRefusedWhileValid(_ store: any LeaseStore) async throws {
        _ = try await store.acquireLease(name, holder: "a", until: at(15), now: at(0))
        let refused = try await store.acquireLease(name, holder: "b", until: at(29), now: at(14))
        #expect(refused == Lease(name: name, holder: "a", expiresAt: at(15), acquiredAt: at(0)), "the current lease is returned unchanged")
        let renewed = try await store.acquireLease(name, holder: "a", until: at(30), now: at(14))
        #expect(renewed.holder == "a" && renewed.expiresAt == at(30), "the refusal left the holder's lease alone")
    }

    static func expiredLeaseIsTakenOver(_ store: any LeaseStore) async throws {
        _ = try await store.acquireLease(name, holder: "a", until: at(15), now: at(0))
        let taken = try await store.acquireLease(name, holder: "b", until: at(30), now: at(15))
        #expect(taken == Lease(name: name, holder: "b", expiresAt: at(30), acquiredAt: at(15)), "a lease is free at its expiry")
        let late = try await store.acquireLease(name, holder: "a", until: at(31), now: at(16))
        #expect(late.holder == "b", "the old holder coming back does not get it back")
        let again = try await store.acquireLease(name, holder: "b", until: at(60), now: at(45))
        #expect(again.holder == "b" && again.acquiredAt == at(45), "a holder whose own lease ran out takes it anew")
    }

    static func releaseFreesTheLease(_ store: any LeaseStore) async throws {
        _ = try await store.acquireLease(name, holder: "a", until: at(15), now: at(0))
        #expect(try await store.releaseLease(name, holder: "a"))
        let taken = try await store.acquireLease(name, holder: "b", until: at(16), now: at(1))
        #expect(taken.holder == "b", "released: another takes it at once")
        #expect(taken.acquiredAt == at(1))
    }

    static func onlyTheHolderReleases(_ store: any LeaseStore) async throws {
        #expect(try await store.releaseLease(name, holder: "a") == false, "nobody holds it")
        _ = try await store.acquireLease(name, holder: "a", until: at(15), now: at(0))
        #expect(try await store.releaseLease(name, holder: "b") == false)
        #expect(try await store.acquireLease(name, holder: "b", until: at(16), now: at(1)).holder == "a", "still held by a")
    }

    static func leasesAreIndependentByName(_ store: any LeaseStore) async throws {
        _ = try await store.acquireLease("scheduler", holder: "a", until: at(15), now: at(0))
        let other = try await store.acquireLease("maintenance", holder: "b", until: at(15), now: at(0))
        #expect(other.holder == "b")
        try await store.releaseLease("maintenance", holder: "b")
        #expect(try await store.acquireLease("scheduler", holder: "b", until: at(16), now: at(1)).holder == "a")
    }

    static func concurrentTakersHaveOneWinner(_ store: any LeaseStore) async throws {
        for round in 0..<5 {
            let now = at(Double(round * 100))
            let until = at(Double(round * 100 + 15))
            let leases = try await withThrowingTaskGroup(of: Lease.self) { group in
                for taker in 0..<16 {
                    group.addTask { try await store.acquireLease(name, holder: "p\(taker)", until: until, now: now) }
                }
                return try await group.reduce(into: [Lease]()) { $0.append($1) }
            }
            let holders = Set(leases.map(\.holder))
            #expect(holders.count == 1, "round \(round): every taker sees the one winner, saw \(holders.sorted())")
        }
    }
}
