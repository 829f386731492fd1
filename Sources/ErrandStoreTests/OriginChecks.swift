import Errand
import Foundation
import Testing

/// Who triggered a run, the event that caused it, and what it needs of a worker: stored, read
/// back and filtered on.
enum OriginChecks {
    static func originAndRoutingRoundTrip(_ store: any RunStore) async throws {
        var run = routedRun(labels: ["gpu", "large"], cost: 3)
        run.origin = RunOrigin(.apiKey, "deploy-bot ✓")
        run.eventID = "evt_9"
        let plain = makeRun()
        try await store.insert([run, plain])
        let stored = try await store.fetch(run.id)
        #expect(stored.origin == RunOrigin(.apiKey, "deploy-bot ✓"))
        #expect(stored.eventID == "evt_9")
        #expect(stored.requiredLabels == ["gpu", "large"])
        #expect(stored.cost == 3)
        let defaults = try await store.fetch(plain.id)
        #expect(defaults.origin == .app && defaults.eventID == nil && defaults.requiredLabels.isEmpty && defaults.cost == 1)
        let listed = try #require(try await store.listRuns(RunQuery()).runs.first { $0.id == run.id })
        #expect(listed.origin == run.origin && listed.eventID == "evt_9", "listings carry them too")
        #expect(listed.requiredLabels == ["gpu", "large"] && listed.cost == 3)
        let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 10, now: t0, leaseUntil: at(30), labels: ["gpu", "large"]))
        #expect(claimed.first { $0.id == run.id }?.origin == run.origin, "claimed records carry the origin")
    }

    static func filtersByOrigin(_ store: any RunStore) async throws {
        let origins: [RunOrigin] = [
            .app, RunOrigin(.apiKey, "ci"), RunOrigin(.apiKey, "ops"), RunOrigin(.cli, "alice"), RunOrigin(.apiKey, "ci"),
            RunOrigin(.schedule, "sch_1"), RunOrigin(.parent, "run_p"), RunOrigin(.replay, "run_r"), RunOrigin(.dashboard),
        ]
        let runs = origins.map { origin in
            var run = makeRun()
            run.origin = origin
            return run
        }
        try await store.insert(runs)
        func ids(_ origin: RunOrigin, limit: Int = 50) async throws -> [RunID] {
            try await store.listRuns(RunQuery(limit: limit, origin: origin)).runs.map(\.id)
        }
        #expect(try await ids(RunOrigin(.apiKey)) == [runs[4].id, runs[2].id, runs[1].id], "by kind: any reference, newest first")
        #expect(try await ids(RunOrigin(.apiKey, "ci")) == [runs[4].id, runs[1].id], "by kind and reference")
        #expect(try await ids(RunOrigin(.apiKey, "nobody")).isEmpty)
        #expect(try await ids(.app) == [runs[0].id])
        #expect(try await ids(RunOrigin(.cli, "alice")) == [runs[3].id])
        #expect(try await ids(RunOrigin(.dashboard)) == [runs[8].id])
        #expect(try await ids(RunOrigin(.event)).isEmpty)
        let page = try await store.listRuns(RunQuery(limit: 1, origin: RunOrigin(.apiKey)))
        let next = try await store.listRuns(RunQuery(limit: 5, cursor: page.nextCursor, origin: RunOrigin(.apiKey)))
        #expect(page.runs.map(\.id) + next.runs.map(\.id) == [runs[4].id, runs[2].id, runs[1].id], "filtered pages")
        #expect(try await store.listRuns(RunQuery(task: "other", origin: RunOrigin(.apiKey))).runs.isEmpty, "filters combine")
    }

    static func filtersByEventID(_ store: any RunStore) async throws {
        let first = try await store.publishEvent(makeEvent("evt_a"), runs: [eventRun("x", event: "evt_a"), eventRun("y", event: "evt_a")], now: t0)
        let second = try await store.publishEvent(makeEvent("evt_b"), runs: [eventRun("x", event: "evt_b")], now: t0)
        try await store.insert([makeRun(task: "x")])
        #expect(try await store.listRuns(RunQuery(eventID: "evt_a")).runs.map(\.id) == first.event.runIDs.reversed())
        #expect(try await store.listRuns(RunQuery(task: "x", eventID: "evt_a")).runs.map(\.id) == [first.event.runIDs[0]])
        #expect(try await store.listRuns(RunQuery(eventID: "evt_b")).runs.map(\.id) == second.event.runIDs)
        #expect(try await store.listRuns(RunQuery(eventID: "evt_none")).runs.isEmpty)
        #expect(try await store.listRuns(RunQuery(origin: RunOrigin(.event, "evt_b"))).runs.map(\.id) == second.event.runIDs)
    }
}
