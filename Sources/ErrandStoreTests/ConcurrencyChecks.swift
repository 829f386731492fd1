import Errand
import Foundation
import Testing

/// Many callers at once: each operation must be one transaction.
enum ConcurrencyChecks {
    static func concurrentInsertsWithOneKey(_ store: any RunStore) async throws {
        let results = try await withThrowingTaskGroup(of: InsertResult.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    let result = try await store.insertRuns([makeRun(task: "email", idempotencyKey: "once")], now: t0)
                    return try #require(result.first)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.filter(\.created).count == 1, "exactly one insert creates the run")
        #expect(Set(results.map(\.id)).count == 1, "all get the same id")
        #expect(try await store.listRuns(RunQuery(task: "email")).runs.count == 1)
    }

    static func concurrentInsertsAreAllKept(_ store: any RunStore) async throws {
        let ids = try await withThrowingTaskGroup(of: [RunID].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ids: [RunID] = []
                    for _ in 0..<25 { ids += try await store.insert((0..<2).map { _ in makeRun() }) }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let listed = try await store.listRuns(RunQuery(limit: 1000)).runs
        #expect(listed.count == 400)
        #expect(Set(listed.map(\.id)) == Set(ids))
        #expect(Set(listed.map(\.sequence)).count == 400, "sequences are unique")
    }

    static func concurrentClaimsHonourQueueLimit(_ store: any RunStore) async throws {
        try await store.upsertQueues([QueueConfig(name: "q", concurrency: 3)])
        try await store.insertDue(100)
        var seen: Set<RunID> = []
        for round in 1...40 {
            let now = at(TimeInterval(round))
            let claimed = try await Self.claimConcurrently(store, claimers: 8, limit: 5, now: now)
            let executing = try await store.ids(in: [.executing])
            #expect(executing.count <= 3, "round \(round): \(executing.count) runs executing in a queue of limit 3")
            #expect(claimed.count == executing.count, "round \(round): every claimed run is executing")
            #expect(seen.isDisjoint(with: claimed.map(\.id)), "round \(round): a run was claimed twice")
            seen.formUnion(claimed.map(\.id))
            if claimed.isEmpty { break }
            let results = try await store.completeAttempts(claimed.map { completion(of: $0, .completed, at: now) })
            #expect(results.allSatisfy { $0 != nil })
        }
        #expect(seen.count == 100)
        #expect(try await store.ids(in: [.completed]).count == 100)
    }

    static func concurrentClaimsNeverClaimTwice(_ store: any RunStore) async throws {
        let ids = try await store.insertDue(200)
        let claimed = try await withThrowingTaskGroup(of: [RunID].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [RunID] = []
                    while true {
                        let batch = try await store.claim("w\(worker)", limit: 7)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 200, "no run claimed twice")
        #expect(Set(claimed) == Set(ids), "every run claimed")
    }

    static func workerAndRescuerRaceCompletesOnce(_ store: any RunStore) async throws {
        try await store.insertDue(20)
        let runs = try await store.claim("w1", limit: 20, now: t0, lease: 30)
        try #require(runs.count == 20)
        let applied = try await withThrowingTaskGroup(of: [RunRecord?].self) { group in
            for run in runs {
                group.addTask { try await store.completeAttempts([completion(of: run, .completed, at: at(40))]) }
                group.addTask { try await store.completeAttempts([rescue(run, before: at(40))]) }
            }
            return try await group.reduce(into: []) { $0 += $1.compactMap { $0 } }
        }
        #expect(applied.count == 20, "exactly one of the two completions applies to each run")
        #expect(Set(applied.map(\.id)) == Set(runs.map(\.id)))
        for winner in applied {
            #expect(try await store.fetch(winner.id).status == winner.status, "the stored status is the winner's")
        }
    }

    /// Runs `claimers` claims at once and returns everything they claimed.
    private static func claimConcurrently(_ store: any RunStore, claimers: Int, limit: Int, now: Date) async throws -> [RunRecord] {
        try await withThrowingTaskGroup(of: [RunRecord].self) { group in
            for worker in 0..<claimers {
                group.addTask { try await store.claim("w\(worker)", limit: limit, now: now) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }
}
