import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Schedules API: deduplication, external ids, fire times, errors")
struct ScheduleAPITests {
    func engine() throws -> Errand {
        let errand = Errand(store: MemoryRunStore(), clock: VirtualClock())
        try errand.register(tick)
        return errand
    }

    @Test func deduplicationKeyReturnsTheExistingSchedule() async throws {
        let errand = try engine()
        let first = try await errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: greeting("a"), key: "digest-u1"))
        let second = try await errand.createSchedule(NewSchedule(task: "tick", expression: "rate(5 minutes)", payload: greeting("b"), key: "digest-u1"))
        #expect(second == first, "the same key returns the stored schedule unchanged")
        #expect(try await errand.schedules().count == 1)
        let unkeyed1 = try await errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: greeting("a")))
        let unkeyed2 = try await errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: greeting("a")))
        #expect(unkeyed1.id != unkeyed2.id, "without a key every call creates a schedule")
        #expect(unkeyed1.key == unkeyed1.id)
        #expect(!first.declared)
    }

    @Test func externalIDIsStoredAndFilterable() async throws {
        let errand = try engine()
        for (user, expression) in [("u1", "rate(1 hour)"), ("u2", "rate(1 hour)"), ("u1", "0 8 * * ? *")] {
            try await errand.createSchedule(NewSchedule(task: "tick", expression: expression, payload: greeting(user), externalID: user))
        }
        let u1 = try await errand.schedules(ScheduleQuery(externalID: "u1"))
        #expect(u1.count == 2 && u1.allSatisfy { $0.externalID == "u1" })
        #expect(try await errand.schedules(ScheduleQuery(externalID: "u3")).isEmpty)
        #expect(try await errand.schedules(ScheduleQuery(declared: false)).count == 3)
        await #expect(throws: ErrandError.self) { try await errand.schedules(ScheduleQuery(limit: 0)) }
    }

    @Test func nextFireTimesOfSchedulesAndExpressions() async throws {
        let errand = try engine()
        let rate = try await errand.createSchedule(NewSchedule(task: "tick", expression: "rate(15 minutes)", payload: greeting("x")))
        #expect(try await errand.nextFireTimes(ofSchedule: rate.id, count: 3) == [minute(15), minute(30), minute(45)])
        let anchored = try await errand.createSchedule(NewSchedule(task: "tick", expression: "1 hour", payload: greeting("x"), anchor: minute(-50)))
        #expect(anchored.nextFireAt == minute(10), "a rate's grid starts at its anchor")
        let cron = try await errand.createSchedule(NewSchedule(task: "tick", expression: "0 9 ? * MON-FRI *", timeZone: "America/New_York", payload: greeting("x")))
        let formatter = ISO8601DateFormatter()
        // 2026-01-01 is a Thursday; New York is UTC-5 in winter.
        #expect(try await errand.nextFireTimes(ofSchedule: cron.id, count: 3) == ["2026-01-01T14:00:00Z", "2026-01-02T14:00:00Z", "2026-01-05T14:00:00Z"].map { formatter.date(from: $0)! })
        #expect(cron.nextFireTimes(2) == ["2026-01-01T14:00:00Z", "2026-01-02T14:00:00Z"].map { formatter.date(from: $0)! })
        // Daylight saving (spring forward on 2026-03-08): 02:30 does not exist and fires at 03:30 EDT.
        let dst = try errand.nextFireTimes(expression: "30 2 * * ? *", timeZone: "America/New_York", after: formatter.date(from: "2026-03-07T00:00:00Z")!, count: 3)
        #expect(dst == ["2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"].map { formatter.date(from: $0)! })
        await #expect(throws: ErrandError.self) { try await errand.nextFireTimes(ofSchedule: "sched_nope", count: 1) }
        #expect(throws: ErrandError.self) { try errand.nextFireTimes(expression: "rate(1 hour)", count: -1) }
    }

    @Test func badExpressionsAndZonesNameTheProblem() async throws {
        let errand = try engine()
        func failure(_ schedule: NewSchedule) async -> ErrandError? {
            await #expect(throws: ErrandError.self) { try await errand.createSchedule(schedule) }
        }
        let cron = await failure(NewSchedule(task: "tick", expression: "61 * * * ? *", payload: greeting("x")))
        #expect(cron?.field == "cron")
        #expect(cron?.message.contains("\"61\"") == true, "\(cron?.message ?? "")")
        #expect(cron?.message.contains("minute") == true)
        let zone = await failure(NewSchedule(task: "tick", expression: "0 9 * * ? *", timeZone: "Mars/Olympus_Mons", payload: greeting("x")))
        #expect(zone?.field == "timeZone")
        #expect(zone?.message.contains("Mars/Olympus_Mons") == true)
        let rate = await failure(NewSchedule(task: "tick", expression: "rate(30 seconds)", payload: greeting("x")))
        #expect(rate?.field == "rate")
        #expect(rate?.message.contains("seconds") == true)
        let zonedRate = await failure(NewSchedule(task: "tick", expression: "rate(1 hour)", timeZone: "Europe/Berlin", payload: greeting("x")))
        #expect(zonedRate?.field == "timeZone")
        let payload = await failure(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: Data(#"{"nom":"x"}"#.utf8)))
        #expect(payload?.field == "payload.name", "the payload is checked against the task's payload type")
        let task = await failure(NewSchedule(task: "unknown", expression: "rate(1 hour)"))
        #expect(task?.code == .unknownTask)
        let window = await failure(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: greeting("x"), catchUp: .all(within: .zero)))
        #expect(window?.field == "catchUp")
        let key = await failure(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: greeting("x"), key: ""))
        #expect(key?.field == "key")

        #expect(throws: ErrandError.self) { try errand.every(tick, rate: "0 9 * * ? *", payload: Greeting(name: "x")) }
        #expect(throws: ErrandError.self) { try errand.cron(tick, expression: "5 minutes", payload: Greeting(name: "x")) }
        let declared = #expect(throws: ErrandError.self) { try errand.cron(tick, expression: "0 9 * * ? *", payload: Greeting(name: "x"), timeZone: "Nowhere/City") }
        #expect(declared?.field == "timeZone" && declared?.message.contains("Nowhere/City") == true)
    }

    @Test func storeWithoutSchedulesIsAClearError() async throws {
        let errand = Errand(store: RunOnlyStore(), clock: VirtualClock())
        try errand.register(tick)
        let error = await #expect(throws: ErrandError.self) {
            try await errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 hour)", payload: greeting("x")))
        }
        #expect(error?.code == .unsupported)
        #expect(error?.message.contains("ScheduleStore") == true)
        await #expect(throws: ErrandError.self) { try await errand.scheduler().run() }
    }

    @Test func policiesParseTheirStoredForms() throws {
        for policy in [CatchUpPolicy.skip, .latest, .all(within: .seconds(90)), .all(within: .milliseconds(1500))] {
            #expect(try CatchUpPolicy(storageText: policy.storageText) == policy)
        }
        #expect(throws: ErrandError.self) { try CatchUpPolicy(storageText: "sometimes") }
        // Far out of range: an error naming catchUp, not an overflow.
        for text in ["all:1e17", "all:-5", "all:0.5"] {
            let error = #expect(throws: ErrandError.self) { try CatchUpPolicy(storageText: text) }
            #expect(error?.field == "catchUp" && error?.message.contains("366 days") == true, "\(text)")
        }
        let huge = #expect(throws: ErrandError.self) { try CatchUpPolicy.all(within: .seconds(Int64.max)).validate() }
        #expect(huge?.field == "catchUp")
        #expect(try OverlapPolicy(parsing: "buffer-one") == .bufferOne)
        #expect(throws: ErrandError.self) { try OverlapPolicy(parsing: "queue") }
    }
}
