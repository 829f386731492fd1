import Errand
import Foundation
import Testing

/// Published events: atomic, idempotent by id, listed newest first; stored subscriptions.
enum EventChecks {
    static func publishCreatesRunsCarryingEvent(_ store: any RunStore) async throws {
        let event = makeEvent("evt_1")
        var other = eventRun("audit", event: "evt_1")
        other.eventID = "evt_stale"
        let runs = [eventRun("welcome", event: "evt_1", due: at(3600)), other]
        let result = try await store.publishEvent(event, runs: runs, now: t0)
        #expect(result.created)
        #expect(result.event.runIDs == runs.map(\.id), "the event lists its runs in order")
        var expected = event
        expected.runIDs = runs.map(\.id)
        #expect(result.event == expected)
        #expect(try await store.event(id: "evt_1") == expected, "every field round-trips")
        for run in runs {
            let stored = try await store.fetch(run.id)
            #expect(stored.eventID == "evt_1", "each run carries the event's id")
            #expect(stored.origin == RunOrigin(.event, "evt_1"))
            #expect(stored.payload == run.payload)
        }
        #expect(try await store.fetch(runs[0].id).status == .delayed, "a delayed run waits for its time")
        #expect(try await store.listRuns(RunQuery(eventID: "evt_1")).runs.map(\.id) == runs.map(\.id).reversed())
        #expect(try await store.event(id: "evt_unknown") == nil)

        let empty = try await store.publishEvent(makeEvent("evt_2", name: "nobody.cares"), runs: [], now: at(1))
        #expect(empty.created && empty.event.runIDs.isEmpty, "an event without subscribers is stored too")
    }

    static func publishingSameIDTwiceCreatesNothing(_ store: any RunStore) async throws {
        let first = try await store.publishEvent(makeEvent("evt_1"), runs: [eventRun("a", event: "evt_1"), eventRun("b", event: "evt_1")], now: t0)
        let again = try await store.publishEvent(
            makeEvent("evt_1", name: "other.name", at: at(5)), runs: [eventRun("a", event: "evt_1"), eventRun("c", event: "evt_1")], now: at(5)
        )
        #expect(!again.created)
        #expect(again.event == first.event, "the stored event is returned unchanged")
        #expect(try await store.listRuns(RunQuery(limit: 100)).runs.count == 2, "no run was inserted")
        #expect(try await store.listRuns(RunQuery(task: "c")).runs.isEmpty)
        #expect(try await store.listEvents(EventQuery()).events.count == 1)
    }

    static func concurrentPublishersWithOneID(_ store: any RunStore) async throws {
        let results = try await withThrowingTaskGroup(of: PublishResult.self) { group in
            for publisher in 0..<12 {
                group.addTask {
                    try await store.publishEvent(
                        makeEvent("evt_race", at: at(Double(publisher))),
                        runs: [eventRun("a", event: "evt_race"), eventRun("b", event: "evt_race")], now: at(Double(publisher))
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter(\.created).count == 1, "exactly one publisher creates the event")
        let created = results.first { $0.created }
        let winner = try #require(created).event
        #expect(results.allSatisfy { $0.event == winner }, "the others get the winner's event")
        let runs = try await store.listRuns(RunQuery(limit: 100)).runs
        #expect(runs.count == 2, "the runs are created once")
        #expect(Set(runs.map(\.id)) == Set(winner.runIDs))
        #expect(try await store.listEvents(EventQuery()).events == [winner])
    }

    static func listEventsNewestFirstByNameWithCursor(_ store: any RunStore) async throws {
        for index in 1...5 {
            _ = try await store.publishEvent(makeEvent("evt_\(index)", name: index % 2 == 0 ? "even" : "odd", at: at(Double(index))), runs: [], now: at(Double(index)))
        }
        let first = try await store.listEvents(EventQuery(limit: 2))
        #expect(first.events.map(\.id) == ["evt_5", "evt_4"])
        let cursor = try #require(first.nextCursor)
        let second = try await store.listEvents(EventQuery(limit: 2, cursor: cursor))
        #expect(second.events.map(\.id) == ["evt_3", "evt_2"])
        let secondCursor = try #require(second.nextCursor)
        let third = try await store.listEvents(EventQuery(limit: 2, cursor: secondCursor))
        #expect(third.events.map(\.id) == ["evt_1"])
        #expect(third.nextCursor == nil)
        let full = try await store.listEvents(EventQuery(limit: 5))
        #expect(full.events.count == 5 && full.nextCursor == nil, "a full last page has no cursor")

        let odd = try await store.listEvents(EventQuery(name: "odd", limit: 2))
        #expect(odd.events.map(\.id) == ["evt_5", "evt_3"])
        let oddCursor = try #require(odd.nextCursor)
        let oddRest = try await store.listEvents(EventQuery(name: "odd", limit: 2, cursor: oddCursor))
        #expect(oddRest.events.map(\.id) == ["evt_1"] && oddRest.nextCursor == nil)
        #expect(try await store.listEvents(EventQuery(name: "none")).events.isEmpty)
        await #expect(throws: ErrandError.self) { try await store.listEvents(EventQuery(cursor: "not-a-cursor")) }
    }

    static func replaceSubscriptionsOnlyForGivenTasks(_ store: any RunStore) async throws {
        let welcome = EventSubscription(
            task: "welcome", pattern: "created:user:*", filter: EventFilter(["user.plan": .array([.string("pro"), .string("team")])]),
            delayMilliseconds: 3_600_000, queue: "mail", priority: 5, maxAttempts: 7, tags: ["onboarding", "zoë"],
            requiredLabels: ["gpu", "large"], cost: 4
        )
        let audit = EventSubscription(task: "audit", pattern: "user.*", queue: "audit")
        let audit2 = EventSubscription(task: "audit", pattern: "order.*", queue: "audit")
        let stale = EventSubscription(task: "gone", pattern: "x", queue: "q")
        try await store.replaceSubscriptions([welcome, audit, stale], forTasks: ["welcome", "audit", "gone"])
        #expect(Set(try await store.subscriptions()) == [welcome, audit, stale], "every field round-trips")

        var renamed = welcome
        renamed.pattern = "user.created"
        try await store.replaceSubscriptions([renamed], forTasks: ["welcome", "gone"])
        #expect(Set(try await store.subscriptions()) == [renamed, audit], "only the given tasks' subscriptions are replaced")

        try await store.replaceSubscriptions([audit, audit2], forTasks: ["audit"])
        #expect(Set(try await store.subscriptions()) == [renamed, audit, audit2])
        var louder = audit2
        louder.priority = 9
        var loudest = audit2
        loudest.priority = 10
        try await store.replaceSubscriptions([louder, loudest], forTasks: [])
        #expect(
            try await store.subscriptions().sorted { ($0.task, $0.pattern) < ($1.task, $1.pattern) } == [loudest, audit, renamed],
            "a subscription is identified by task and pattern: the last one given replaces the stored one"
        )
        try await store.replaceSubscriptions([], forTasks: ["audit", "welcome"])
        #expect(try await store.subscriptions().isEmpty)
    }
}
