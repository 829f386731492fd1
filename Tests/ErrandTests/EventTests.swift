import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Published events and subscriptions")
struct EventTests {
    @Test(arguments: [
        ("user.created", "user.created", true),
        ("user.created", "user.deleted", false),
        ("user.*", "user.created", true),
        ("user.*", "user", false),
        ("user.*", "user.email.changed", false),
        ("user.**", "user.email.changed", true),
        ("user.**", "user", true),
        ("created:user:*", "created:user:42", true),
        ("created:user:*", "created:order:42", false),
        ("*.created", "order.created", true),
        ("created:user:*", "created.user.42", true),
    ])
    func patternsMatchNames(pattern: String, name: String, matches: Bool) throws {
        #expect(try EventPattern(pattern).matches(name) == matches)
    }

    @Test(arguments: ["", "user..created", "us*er.created", "user."])
    func badPatternsAreClearErrors(pattern: String) {
        #expect(throws: ErrandError.self) { try EventPattern(pattern) }
    }

    @Test func filtersCompareFieldsByPath() {
        let payload = JSONValue.object(["user": .object(["plan": .string("pro"), "age": .integer(30)])])
        #expect(EventFilter(["user.plan": .string("pro")]).matches(payload))
        #expect(!EventFilter(["user.plan": .string("free")]).matches(payload))
        #expect(EventFilter(["user.plan": .array([.string("team"), .string("pro")])]).matches(payload))
        #expect(!EventFilter(["user.missing": .null]).matches(payload))
        #expect(EventFilter().matches(payload))
    }

    @Test func runEventFiltersCheckKindRunAndStatus() {
        let event = RunEvent(kind: .failed, runID: RunID("run_a"), task: "t", status: .failed, at: Date(timeIntervalSince1970: 0))
        #expect(RunEventFilter.all.includes(event))
        #expect(RunEventFilter.finalStatus().includes(event))
        #expect(RunEventFilter.finalStatus(of: RunID("run_a")).includes(event))
        #expect(!RunEventFilter.finalStatus(of: RunID("run_b")).includes(event))
        #expect(!RunEventFilter(kinds: [.completed, .started]).includes(event))
        #expect(RunEventFilter(kinds: [.failed], runID: RunID("run_a"), statuses: [.failed]).includes(event))
        var retrying = event
        retrying.kind = .retrying
        retrying.status = .retrying
        #expect(!RunEventFilter.finalStatus(of: RunID("run_a")).includes(retrying))
    }

    @Test func aFilteredSubscriptionGetsExactlyTheRunEventsThatPassItInEachRunsOrder() async throws {
        let test = makeTestErrand()
        let attempts = Recorder<String>()
        let flaky = TaskDefinition<Greeting, Reply>(
            "flaky", options: TaskOptions(retry: RetryPolicy(maxAttempts: 2, minDelay: .seconds(1), jitter: 0))
        ) { payload, ctx in
            attempts.append(payload.name)
            try await ctx.progress("working", percent: 0.5)
            if ctx.attempt == 1 { throw Boom(reason: "first attempt") }
            return Reply(text: payload.name)
        }
        try test.errand.register(flaky)
        let all = test.errand.events()
        let filters: [RunEventFilter] = [
            RunEventFilter(kinds: [.started, .retrying]),
            RunEventFilter(statuses: [.executing]),
        ]
        let filtered = filters.map { test.errand.events($0) }
        try await test.start()
        let ids = try await test.errand.batchTrigger(flaky, [Greeting(name: "a"), Greeting(name: "b")])
        let first = test.errand.events(.finalStatus(of: ids[0]))
        for id in ids { #expect(try await test.runUntilFinished(id).status == .completed) }
        #expect(attempts.all.count == 4)
        var seen: [RunEvent] = []
        var finished: Set<RunID> = []
        for await event in all {
            seen.append(event)
            if event.status.isFinal { finished.insert(event.runID) }
            if finished.count == ids.count { break }
        }
        for (filter, stream) in zip(filters, filtered) {
            let expected = seen.filter(filter.includes)
            #expect(expected.count >= 6, "\(filter)")
            var received: [RunEvent] = []
            for await event in stream {
                received.append(event)
                if received.count == expected.count { break }
            }
            // Two runs' events published at once may reach two subscribers in either order;
            // one run's events are published one after the other, so their order is kept.
            #expect(Dictionary(grouping: received, by: \.runID) == Dictionary(grouping: expected, by: \.runID), "\(filter)")
        }
        var firstFinal: RunEvent?
        for await event in first {
            firstFinal = event
            break
        }
        #expect(firstFinal?.runID == ids[0])
        #expect(firstFinal?.kind == .completed)
        await test.stop()
    }

    @Test func anEventWithTwoSubscribersCreatesTwoRunsOnceEvenWhenPublishedTwice() async throws {
        let test = makeTestErrand()
        let welcome = greetTask()
        let audit = TaskDefinition<Greeting, Reply>("audit", options: TaskOptions(retry: .none)) { payload, _ in Reply(text: "audited \(payload.name)") }
        let unrelated = TaskDefinition<Greeting, Reply>("unrelated") { _, _ in Reply(text: "no") }
        for task in [welcome, audit, unrelated] { try test.errand.register(task) }
        try test.errand.subscribe(welcome, to: "created:user:*")
        try test.errand.subscribe(audit, to: "created:**")
        try test.errand.subscribe(unrelated, to: "deleted:user:*")
        try await test.start()
        let event = try await test.errand.publish(event: "created:user:42", Greeting(name: "ada"), id: "evt-1")
        #expect(event.runIDs.count == 2)
        let again = try await test.errand.publish(event: "created:user:42", Greeting(name: "ada"), id: "evt-1")
        #expect(again.runIDs == event.runIDs)
        for id in event.runIDs {
            let run = try await test.runUntilFinished(id)
            #expect(run.status == .completed)
            #expect(run.eventID == "evt-1")
            #expect(run.origin == RunOrigin(.event, "evt-1"))
        }
        let caused = try await test.errand.runs(RunQuery(eventID: "evt-1"))
        #expect(Set(caused.runs.map(\.task)) == ["greet", "audit"])
        #expect(try await test.errand.publishedEvents().events.map(\.id) == ["evt-1"])
        await test.stop()
    }

    @Test func twoPublishersRacingWithOneIDCreateTheRunsOnce() async throws {
        let test = makeTestErrand()
        let welcome = greetTask()
        try test.errand.register(welcome)
        try test.errand.subscribe(welcome, to: "user.created")
        let events = try await withThrowingTaskGroup(of: EventRecord.self) { group in
            for _ in 0..<8 {
                group.addTask { try await test.errand.publish(event: "user.created", Greeting(name: "x"), id: "race") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(events.map(\.runIDs)).count == 1)
        #expect(try await test.errand.runs(RunQuery(task: "greet")).runs.count == 1)
    }

    @Test func filtersAndDelaysApply() async throws {
        let test = makeTestErrand()
        let welcome = greetTask()
        try test.errand.register(welcome)
        try test.errand.subscribe(welcome, to: "user.created", filter: EventFilter(["name": .string("ada")]), delay: .seconds(3600))
        try await test.start()
        let start = test.clock.now
        let skipped = try await test.errand.publish(event: "user.created", Greeting(name: "bob"))
        #expect(skipped.runIDs.isEmpty)
        let event = try await test.errand.publish(event: "user.created", Greeting(name: "ada"))
        let runID = try #require(event.runIDs.first)
        let run = try #require(try await test.errand.state(runID))
        #expect(run.status == .delayed)
        #expect(run.scheduledAt == start.addingTimeInterval(3600))
        let done = try await test.runUntilFinished(run.id)
        #expect(done.attempts.first?.startedAt == start.addingTimeInterval(3600))
        await test.stop()
    }

    @Test func aPayloadASubscriberCannotDecodeIsRejectedAndNothingIsStored() async throws {
        let test = makeTestErrand()
        let welcome = greetTask()
        try test.errand.register(welcome)
        try test.errand.subscribe(welcome, to: "user.created")
        await #expect {
            try await test.errand.publish(event: "user.created", payload: Data(#"{"nom":"x"}"#.utf8), id: "bad")
        } throws: { error in
            let error = error as? ErrandError
            return error?.message.contains("subscribing task \"greet\"") == true && error?.field == "payload.name"
        }
        #expect(try await test.errand.publishedEvent(id: "bad") == nil)
        #expect(try await test.errand.runs().runs.isEmpty)
    }

    @Test func subscriptionsAreStoredSoAnotherProcessPublishesToThem() async throws {
        let store = MemoryRunStore()
        let app = TestErrand(store: store)
        let welcome = greetTask()
        try app.errand.register(welcome)
        try app.errand.subscribe(welcome, to: "user.*")
        try await app.start()
        // A publisher that knows no task, sharing the store (as the CLI does).
        let publisher = Errand(store: store, clock: app.clock)
        let event = try await publisher.publish(event: "user.created", Greeting(name: "remote"))
        #expect(event.runIDs.count == 1)
        let run = try await app.runUntilFinished(try #require(event.runIDs.first))
        #expect(run.status == .completed)
        #expect(run.queue == "greet")
        await app.stop()
    }

    @Test func badEventNamesAndDuplicateSubscriptionsAreClearErrors() async throws {
        let test = makeTestErrand()
        let welcome = greetTask()
        try test.errand.register(welcome)
        try test.errand.subscribe(welcome, to: "user.*")
        #expect(throws: ErrandError.self) { try test.errand.subscribe(welcome, to: "user.*") }
        await #expect(throws: ErrandError.self) { try await test.errand.publish(event: "user.*", Greeting(name: "x")) }
        await #expect(throws: ErrandError.self) { try await test.errand.publish(event: "", Greeting(name: "x")) }
    }

    @Test func runsRecordTheirOrigin() async throws {
        let test = makeTestErrand()
        let child = greetTask()
        let parent = TaskDefinition<Greeting, Reply>("origin-parent", options: TaskOptions(retry: .none)) { payload, ctx in
            try await ctx.triggerAndWait(child, payload)
        }
        try test.errand.register(child)
        try test.errand.register(parent)
        try await test.start()
        let fromKey = try await test.errand.trigger(TriggerRequest(
            task: "origin-parent", payload: Data(#"{"name":"k"}"#.utf8), options: TriggerOptions(origin: RunOrigin(.apiKey, "ci-bot"))
        ))
        _ = try await test.runUntilFinished(fromKey)
        let children = try await test.errand.runs(RunQuery(parentID: fromKey)).runs
        #expect(children.first?.origin == RunOrigin(.parent, fromKey.rawValue))
        let replayed = try await test.errand.replay(fromKey)
        #expect(try await test.errand.state(replayed)?.origin == RunOrigin(.replay, fromKey.rawValue))
        let byKey = try await test.errand.runs(RunQuery(origin: RunOrigin(.apiKey, "ci-bot"))).runs
        #expect(byKey.map(\.id) == [fromKey])
        let byKind = try await test.errand.runs(RunQuery(origin: RunOrigin(.apiKey))).runs
        #expect(byKind.count == 1)
        #expect(try RunOrigin(parsing: "cli:ada") == RunOrigin(.cli, "ada"))
        #expect(throws: ErrandError.self) { try RunOrigin(parsing: "robot") }
        await test.stop()
    }
}
