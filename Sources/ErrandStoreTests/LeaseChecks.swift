import Errand
import Foundation
import Testing

/// Heartbeats, lapsed leases and rescues.
enum LeaseChecks {
    static func heartbeatExtendsLease(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0, lease: 30)
        let result = try await store.heartbeat(runs: [run.id], workerID: "w1", leaseUntil: at(50), now: at(20))
        #expect(result == HeartbeatResult(lost: [], cancelRequested: []))
        #expect(try await store.fetch(run.id).leaseExpiresAt == at(50))
        #expect(try await store.expiredLeases(now: at(40), limit: 10).isEmpty, "the old lease no longer counts")
        #expect(try await store.expiredLeases(now: at(51), limit: 10).map(\.id) == [run.id])
    }

    static func heartbeatReportsLostRuns(_ store: any RunStore) async throws {
        try await store.insertDue(3)
        let runs = try await store.claim("w1", limit: 3, now: t0, lease: 30)
        try #require(runs.count == 3)
        let (kept, finished, rescued) = (runs[0], runs[1], runs[2])
        _ = try await store.heartbeat(runs: [kept.id], workerID: "w1", leaseUntil: at(100), now: at(5))
        try await store.complete(completion(of: finished, .completed, at: at(10)))
        try await store.complete(rescue(rescued, before: at(40), status: .retrying, retryAt: at(40)))
        #expect(try await store.claimOne("w2", now: at(40)).id == rescued.id, "rescued and claimed by another worker")
        let result = try await store.heartbeat(
            runs: [kept.id, finished.id, rescued.id, "run_unknown"], workerID: "w1", leaseUntil: at(120), now: at(41)
        )
        #expect(Set(result.lost) == [finished.id, rescued.id, "run_unknown"])
        #expect(result.cancelRequested.isEmpty)
        #expect(try await store.fetch(kept.id).leaseExpiresAt == at(120))
        #expect(try await store.fetch(rescued.id).leaseExpiresAt == at(70), "another worker's lease is untouched")
        let stranger = try await store.heartbeat(runs: [kept.id], workerID: "w2", leaseUntil: at(999), now: at(41))
        #expect(stranger.lost == [kept.id], "a worker cannot heartbeat a run it does not hold")
        #expect(try await store.fetch(kept.id).leaseExpiresAt == at(120))
    }

    static func expiredLeasesFindsLapsedRuns(_ store: any RunStore) async throws {
        try await store.insertDue(6)
        let middle = try await store.claimOne(now: t0, lease: 30)
        let oldest = try await store.claimOne(now: t0, lease: 10)
        _ = try await store.claimOne(now: t0, lease: 50)  // still live at +40
        let finished = try await store.claimOne(now: t0, lease: 5)
        try await store.complete(completion(of: finished, .failed, at: at(1)))
        let lapsed = try await store.expiredLeases(now: at(40), limit: 10)
        #expect(lapsed.map(\.id) == [oldest.id, middle.id], "only executing runs whose lease ended before now, oldest lease first")
        #expect(lapsed.allSatisfy { $0.status == .executing && $0.workerID == "w1" })
        #expect(try await store.expiredLeases(now: at(40), limit: 1).map(\.id) == [oldest.id], "limit")
        #expect(try await store.expiredLeases(now: at(10), limit: 10).isEmpty, "a lease ending exactly now has not lapsed")
        #expect(!(try await store.expiredLeases(now: at(60), limit: 10).map(\.id).contains(finished.id)))
    }

    static func rescueNeedsLapsedLease(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let run = try await store.claimOne(now: t0, lease: 30)
        for before in [at(20), at(30)] {
            let results = try await store.completeAttempts([rescue(run, before: before)])
            #expect(results == [nil], "lease ends at +30: a rescue before \(before) must not apply")
        }
        #expect(try await store.fetch(run.id).status == .executing)
        let rescued = try await store.complete(rescue(run, before: at(31)))
        #expect(rescued.status == .crashed)
        #expect(rescued.failedAt == at(31))
        #expect(rescued.error?.type == "workerLost")
        #expect(rescued.workerID == nil)
        #expect(rescued.leaseExpiresAt == nil)
    }

    static func lateCompletionAfterRescueIsIgnored(_ store: any RunStore) async throws {
        try await store.insertDue(1)
        let first = try await store.claimOne("w1", now: t0, lease: 30)
        try await store.complete(rescue(first, before: at(40), status: .retrying, retryAt: at(40)))
        let late = completion(of: first, .completed, at: at(41), result: Data("1".utf8))
        #expect(try await store.completeAttempts([late]) == [nil], "the original worker's late outcome is ignored")
        #expect(try await store.fetch(first.id).status == .retrying)
        let second = try await store.claimOne("w2", now: at(42))
        #expect(try await store.completeAttempts([late]) == [nil], "still ignored while attempt 2 runs")
        var impostor = completion(of: second, .completed, at: at(43))
        impostor.guard = .worker("w1")
        #expect(try await store.completeAttempts([impostor]) == [nil], "attempt 2 belongs to w2")
        let done = try await store.complete(completion(of: second, .completed, at: at(44), result: Data("2".utf8)))
        #expect(done.result == Data("2".utf8))
        #expect(try await store.completeAttempts([late, completion(of: second, .failed, at: at(45))]) == [nil, nil], "never completes twice")
        let final = try await store.fetch(first.id)
        #expect(final.status == .completed)
        #expect(final.completedAt == at(44))
        #expect(final.attempts.map(\.outcome) == [.crashed, .succeeded])
    }
}
