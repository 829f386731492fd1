import Errand
import Foundation
import Testing

/// Expiring runs whose time to live passed, pruning finished runs, the next due time.
enum MaintenanceChecks {
    static func expireRunsMarksLapsedRuns(_ store: any RunStore) async throws {
        let queued = makeRun(due: t0, expiresAt: at(10))
        let delayed = makeRun(due: at(100), expiresAt: at(20))
        let later = makeRun(due: t0, expiresAt: at(1000))
        let forever = makeRun(due: t0)
        try await store.insert([queued, delayed, later, forever])
        let expired = try await store.expireRuns(now: at(30), limit: 10)
        #expect(Set(expired.map(\.id)) == [queued.id, delayed.id])
        for id in [queued.id, delayed.id] {
            let run = try await store.fetch(id)
            #expect(run.status == .expired)
            #expect(run.failedAt == at(30))
            #expect(run.updatedAt == at(30))
            #expect(run.error?.type == "expired")
        }
        #expect(try await store.fetch(later.id).status == .queued)
        #expect(try await store.expireRuns(now: at(30), limit: 10).isEmpty, "already expired")
    }

    static func expireRunsRespectsLimit(_ store: any RunStore) async throws {
        try await store.insert((0..<5).map { _ in makeRun(expiresAt: at(10)) })
        #expect(try await store.expireRuns(now: at(20), limit: 2).count == 2)
        #expect(try await store.expireRuns(now: at(20), limit: 2).count == 2)
        #expect(try await store.expireRuns(now: at(20), limit: 2).count == 1)
        #expect(try await store.ids(in: [.expired]).count == 5)
    }

    static func expireRunsIgnoresStartedRuns(_ store: any RunStore) async throws {
        try await store.insert((0..<2).map { _ in makeRun(expiresAt: at(10)) })
        let runs = try await store.claim(limit: 2, now: t0, lease: 100)
        try #require(runs.count == 2)
        try await store.complete(completion(of: runs[1], .retrying, at: at(1), retryAt: at(500)))
        #expect(try await store.expireRuns(now: at(30), limit: 10).isEmpty, "executing and retrying runs have started")
        #expect(try await store.fetch(runs[0].id).status == .executing)
        #expect(try await store.fetch(runs[1].id).status == .retrying)
    }

    static func pruneByStatusCutoff(_ store: any RunStore) async throws {
        let ids = try await Self.finishedRuns([(.completed, 10), (.failed, 10), (.canceled, 10), (.completed, 50)], in: store)
        let unfinished = try await store.insertDue(1, now: at(60))
        let deleted = try await store.pruneRuns(finishedBefore: [.completed: at(20), .failed: at(20)], limit: 100)
        #expect(deleted == 2)
        #expect(try await store.run(id: ids[0]) == nil, "completed before its cutoff")
        #expect(try await store.run(id: ids[1]) == nil, "failed before its cutoff")
        #expect(try await store.run(id: ids[2]) != nil, "no cutoff for canceled")
        #expect(try await store.run(id: ids[3]) != nil, "completed after the cutoff")
        #expect(try await store.run(id: unfinished[0]) != nil)
        #expect(try await store.listRuns(RunQuery()).runs.count == 3)
    }

    static func pruneRespectsLimit(_ store: any RunStore) async throws {
        try await Self.finishedRuns(Array(repeating: (.completed, 10), count: 5), in: store)
        let cutoffs: [RunStatus: Date] = [.completed: at(100)]
        var counts: [Int] = []
        for _ in 0..<4 { counts.append(try await store.pruneRuns(finishedBefore: cutoffs, limit: 2)) }
        #expect(counts == [2, 2, 1, 0])
    }

    static func pruneKeepsUnfinishedRuns(_ store: any RunStore) async throws {
        try await store.insertDue(3)
        try await store.insert([makeRun(due: at(50))])
        let runs = try await store.claim(limit: 2)
        try await store.complete(completion(of: runs[0], .retrying, at: at(1), retryAt: at(60)))
        try await store.complete(completion(of: try await store.claimOne(), .waiting, at: at(1), retryAt: at(70)))
        let cutoffs = Dictionary(uniqueKeysWithValues: RunStatus.allCases.map { ($0, at(10_000)) })
        #expect(try await store.pruneRuns(finishedBefore: cutoffs, limit: 100) == 0)
        #expect(try await store.listRuns(RunQuery()).runs.count == 4)
    }

    static func prunedRunFreesIdempotencyKey(_ store: any RunStore) async throws {
        let old = makeRun(task: "email", idempotencyKey: "k")
        try await store.insert([old])
        let run = try await store.claimOne(now: t0)
        try await store.complete(completion(of: run, .completed, at: at(1)))
        #expect(try await store.pruneRuns(finishedBefore: [.completed: at(10)], limit: 10) == 1)
        let new = makeRun(task: "email", idempotencyKey: "k")
        #expect(try await store.insertRuns([new], now: at(20)) == [InsertResult(id: new.id, created: true)])
    }

    static func nextDueTimeIsEarliest(_ store: any RunStore) async throws {
        #expect(try await store.nextDueTime(queues: nil) == nil, "empty store")
        try await store.insert([makeRun(queue: "a")])
        try await store.complete(completion(of: try await store.claimOne(), .retrying, at: at(1), retryAt: at(40)))
        try await store.insert([makeRun(queue: "a", due: at(50)), makeRun(queue: "b", due: at(30)), makeRun(queue: "a")], now: at(2))
        #expect(try await store.nextDueTime(queues: nil) == at(30))
        #expect(try await store.nextDueTime(queues: ["a"]) == at(40), "queued runs do not count; retrying ones do")
        #expect(try await store.nextDueTime(queues: ["a", "b"]) == at(30))
        #expect(try await store.nextDueTime(queues: ["c"]) == nil)
    }

    /// Inserts and finishes runs: each ends in a status at `t0 + seconds`.
    @discardableResult
    private static func finishedRuns(_ endings: [(RunStatus, TimeInterval)], in store: any RunStore) async throws -> [RunID] {
        var ids: [RunID] = []
        for (status, seconds) in endings {
            try await store.insertDue(1)
            let run = try await store.claimOne(now: t0)
            if status == .canceled {
                _ = try await store.cancelRun(id: run.id, now: at(seconds - 1))
            }
            try await store.complete(completion(of: run, status, at: at(seconds)))
            ids.append(run.id)
        }
        return ids
    }
}
