import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Scheduler: reconciliation of declared schedules")
struct ScheduleReconciliationTests {
    @Test func addsChangesAndRemovesDeclaredSchedulesAndKeepsRunTimeOnes() async throws {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        let before = Errand(store: store, clock: clock)
        try before.register(tick)
        try before.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "a"), key: "a")
        try before.cron(tick, expression: "*/5 * * * *", payload: Greeting(name: "b"), key: "b")
        try before.every(tick, rate: "rate(1 hour)", payload: Greeting(name: "same"), key: "same")
        try before.every(tick, rate: "rate(1 hour)", payload: Greeting(name: "p"), key: "payload-only")
        let runtime = try await before.createSchedule(NewSchedule(task: "tick", expression: "rate(1 day)", payload: greeting("r"), key: "user-1"))
        let first = try await before.scheduler().reconcile()
        #expect(first.results.map(\.outcome) == [.created, .created, .created, .created])
        #expect(first.removed.isEmpty)
        let a = try #require(try await store.schedule(key: "a"))
        #expect(a.declared && a.nextFireAt == minute(1))
        let payloadOnly = try #require(try await store.schedule(key: "payload-only"))

        clock.advance(by: .seconds(30))
        // The next deploy: a's rate changes, b is gone, c is new, same is unchanged, payload-only
        // gets a new payload.
        let after = Errand(store: store, clock: clock)
        try after.register(tick)
        try after.every(tick, rate: "rate(2 minutes)", payload: Greeting(name: "a"), key: "a")
        try after.cron(tick, expression: "0 9 * * ? *", payload: Greeting(name: "c"), timeZone: "Europe/Berlin", key: "c")
        try after.every(tick, rate: "rate(1 hour)", payload: Greeting(name: "same"), key: "same")
        try after.every(tick, rate: "rate(1 hour)", payload: Greeting(name: "new"), key: "payload-only", overlap: .skip)
        let second = try await after.scheduler().reconcile()
        #expect(second.results.map(\.outcome) == [.updated, .created, .unchanged, .updated])
        #expect(second.removed.map(\.key) == ["b"])

        let changed = try #require(try await store.schedule(key: "a"))
        #expect(changed.id == a.id, "the same schedule, updated in place")
        #expect(changed.expression == "rate(2 minutes)")
        #expect(changed.nextFireAt == minute(2), "a new expression recomputes the next fire time (on the grid from its creation)")
        let updatedPayload = try #require(try await store.schedule(key: "payload-only"))
        #expect(updatedPayload.payload == greeting("new") && updatedPayload.overlap == .skip)
        #expect(updatedPayload.nextFireAt == payloadOnly.nextFireAt, "a new payload or policy keeps the next fire time")
        let c = try #require(try await store.schedule(key: "c"))
        #expect(c.kind == .cron && c.timeZone == "Europe/Berlin")
        #expect(c.nextFireAt == ISO8601DateFormatter().date(from: "2026-01-01T08:00:00Z"), "09:00 in Berlin")
        #expect(try await store.schedule(key: "b") == nil, "no longer declared: deleted")
        #expect(try await store.schedule(id: runtime.id) == runtime, "run-time schedules are untouched")
    }

    @Test func schedulerReconcilesAtStartAndFiresTheNewDefinition() async throws {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        let first = schedulerTest(store: store, clock: clock)
        try first.errand.register(tick)
        try first.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "v1"))
        try await first.startScheduling()
        try await first.advanceSchedules(by: .seconds(60))
        await first.stop()

        let second = schedulerTest(store: store, clock: clock)
        try second.errand.register(tick)
        try second.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "v2"))
        try await second.startScheduling()
        try await second.advanceSchedules(by: .seconds(60))
        let runs = try await store.runs(ofTask: "tick")
        #expect(runs.map(\.payload) == [greeting("v1"), greeting("v2")])
        #expect(Set(runs.map(\.scheduleID)).count == 1, "the same schedule across restarts")
        #expect(runs.compactMap { try? PayloadCoding.decode(Reply.self, from: $0.result ?? Data()) }.map(\.text) == ["v1", "v2"])
        await second.stop()
    }

    @Test func declaringWhileRunningReconcilesAgain() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        try await test.startScheduling()
        try test.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "late"))
        var declared: Schedule?
        for _ in 0..<1000 where declared == nil {
            try await test.settleSchedules()
            declared = try await test.errand.schedule(key: "tick")
        }
        #expect(declared?.declared == true, "the running scheduler reconciled the new declaration")
        try await test.advanceSchedules(by: .seconds(60))
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == [1])
        await test.stop()
    }

    @Test func declaringTheSameKeyTwiceIsAnError() throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "x"))
        let error = #expect(throws: ErrandError.self) {
            try errand.cron(tick, expression: "0 9 * * ? *", payload: Greeting(name: "y"))
        }
        #expect(error?.field == "key")
        #expect(error?.message.contains("\"tick\"") == true)
        try errand.cron(tick, expression: "0 9 * * ? *", payload: Greeting(name: "y"), key: "tick-morning")
        #expect(errand.declaredSchedules.map(\.key) == ["tick", "tick-morning"])
    }
}
