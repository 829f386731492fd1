import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Scheduler: exactly once, catch-up, overlap, pause, reconciliation")
struct SchedulerTests {
    // MARK: Exactly once

    @Test func twoSchedulersOnOneStoreFireEachOccurrenceOnce() async throws {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        let one = schedulerTest(store: store, clock: clock, id: "worker-1")
        let two = schedulerTest(store: store, clock: clock, id: "worker-2")
        for test in [one, two] {
            try test.errand.register(tick)
            try test.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "both"))
        }
        try await one.startScheduling()
        try await two.startScheduling()
        for _ in 1...100 { try await one.advanceSchedules(by: .seconds(60)) }
        try await one.settleSchedules()
        let runs = try await store.runs(ofTask: "tick")
        #expect(runs.count == 100, "one run per occurrence")
        #expect(try await store.occurrenceMinutes(ofTask: "tick") == (1...100).map(Double.init), "every occurrence, in order")
        #expect(Set(runs.map(\.scheduleID)).count == 1)
        #expect(runs.allSatisfy { $0.scheduledAt == $0.occurrenceAt }, "due at the occurrence")
        #expect(runs.allSatisfy { $0.status == .completed })
        await one.stop()
        await two.stop()
    }

    @Test func restartCatchesUpPerPolicyWithoutDuplicates() async throws {
        let store = MemoryRunStore()
        let clock = VirtualClock()
        let first = schedulerTest(store: store, clock: clock)
        try first.errand.register(tick)
        try first.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "x"))
        try await first.startScheduling()
        try await first.advanceSchedules(by: .seconds(60))
        try await first.advanceSchedules(by: .seconds(60))
        #expect(try await store.occurrenceMinutes(ofTask: "tick") == [1, 2])
        await first.stop()

        clock.advance(by: .seconds(10 * 60 + 30))  // down from minute 2 to 12.5
        let second = schedulerTest(store: store, clock: clock)
        try second.errand.register(tick)
        try second.errand.every(tick, rate: "rate(1 minute)", payload: Greeting(name: "x"))
        try await second.startScheduling()
        try await second.settleSchedules()
        #expect(try await store.occurrenceMinutes(ofTask: "tick") == [1, 2, 12], "latest: the latest missed occurrence runs once")
        let schedule = try #require(try await second.errand.schedule(key: "tick"))
        #expect(schedule.nextFireAt == minute(13))
        #expect(schedule.lastOccurrenceAt == minute(12))
        try await second.advanceSchedules(by: .seconds(30))
        #expect(try await store.occurrenceMinutes(ofTask: "tick") == [1, 2, 12, 13])
        await second.stop()
    }

    // MARK: Catch-up

    @Test(arguments: [
        (CatchUpPolicy.skip, [Double]()),
        (CatchUpPolicy.latest, [5]),
        (CatchUpPolicy.all(within: .seconds(180)), [3, 4, 5]),
        (CatchUpPolicy.all(within: .seconds(3600)), [1, 2, 3, 4, 5]),
    ])
    func catchUpAfterDowntime(_ policy: CatchUpPolicy, _ expected: [Double]) async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        try await test.errand.createSchedule(NewSchedule(task: "tick", expression: "1 minute", payload: greeting("x"), catchUp: policy))
        test.clock.advance(by: .seconds(5 * 60 + 30))  // no scheduler for five and a half minutes
        try await test.startScheduling()
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == expected, "\(policy)")
        try await test.advanceSchedules(by: .seconds(30))
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == expected + [6], "then on time again")
        await test.stop()
    }

    @Test func skipStillFiresAnOccurrenceHandledALittleLate() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        try await test.errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 minute)", payload: greeting("x"), catchUp: .skip))
        test.clock.advance(by: .seconds(65))  // five seconds late: within the lateness of 10 s
        try await test.startScheduling()
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == [1])
        await test.stop()
    }

    @Test func catchUpAllIsCappedAtTheMostRecentThousand() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        try await test.errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 minute)", payload: greeting("x"), catchUp: .all(within: .seconds(2 * 86_400))))
        test.clock.advance(by: .seconds(1500 * 60))
        try await test.startScheduling()
        let minutes = try await test.store.occurrenceMinutes(ofTask: "tick")
        #expect(minutes.count == CatchUpPolicy.maximumRuns)
        #expect(minutes.first == 501 && minutes.last == 1500)
        await test.stop()
    }

    // MARK: Overlap

    @Test func overlapAllowRunsEveryOccurrence() async throws {
        let gate = Gate()
        let test = schedulerTest()
        try test.errand.register(gatedTask(gate))
        try await test.errand.createSchedule(NewSchedule(task: "slow", expression: "rate(1 minute)", payload: greeting("x")))
        try await test.startScheduling()
        for _ in 1...3 { try await test.advanceSchedules(by: .seconds(60)) }
        let runs = try await test.store.runs(ofTask: "slow")
        #expect(runs.map(\.status) == [.executing, .executing, .executing], "they overlap")
        gate.open()
        try await test.settleSchedules()
        #expect(try await test.store.runs(ofTask: "slow").allSatisfy { $0.status == .completed })
        await test.stop()
    }

    @Test func overlapSkipDropsOccurrencesWhileTheRunIsUnfinished() async throws {
        let gate = Gate()
        let test = schedulerTest()
        try test.errand.register(gatedTask(gate))
        let created = try await test.errand.createSchedule(NewSchedule(task: "slow", expression: "rate(1 minute)", payload: greeting("x"), overlap: .skip))
        try await test.startScheduling()
        try await test.advanceSchedules(by: .seconds(60))
        try await test.advanceSchedules(by: .seconds(60))
        try await test.advanceSchedules(by: .seconds(60))
        #expect(try await test.store.occurrenceMinutes(ofTask: "slow") == [1], "minutes 2 and 3 came while run 1 executed")
        let schedule = try #require(try await test.errand.schedule(id: created.id))
        #expect(schedule.lastOccurrenceAt == minute(3), "dropped occurrences are handled")
        #expect(schedule.nextFireAt == minute(4))
        gate.open()
        try await test.settleSchedules()
        try await test.advanceSchedules(by: .seconds(60))
        #expect(try await test.store.occurrenceMinutes(ofTask: "slow") == [1, 4])
        await test.stop()
    }

    @Test func overlapBufferOneRunsOneWaitingOccurrenceWhenTheRunFinishes() async throws {
        let gate = Gate()
        let test = schedulerTest()
        try test.errand.register(gatedTask(gate))
        let created = try await test.errand.createSchedule(NewSchedule(task: "slow", expression: "rate(1 minute)", payload: greeting("x"), overlap: .bufferOne))
        try await test.startScheduling()
        try await test.advanceSchedules(by: .seconds(60))  // run 1
        try await test.advanceSchedules(by: .seconds(60))  // buffered
        try await test.advanceSchedules(by: .seconds(60))  // dropped: the buffer holds one
        #expect(try await test.store.occurrenceMinutes(ofTask: "slow") == [1])
        let waiting = try #require(try await test.errand.schedule(id: created.id))
        #expect(waiting.bufferedOccurrenceAt == minute(2))
        gate.open()  // run 1 finishes; the buffered occurrence runs at once, without the clock moving
        try await test.settleSchedules()
        let runs = try await test.store.runs(ofTask: "slow")
        #expect(runs.map { $0.occurrenceAt } == [minute(1), minute(2)])
        #expect(runs.map(\.status) == [.completed, .completed])
        #expect(runs[1].scheduledAt == minute(2) && runs[1].createdAt == minute(3), "it records its occurrence, not when it ran")
        #expect(try await test.errand.schedule(id: created.id)?.bufferedOccurrenceAt == nil)
        try await test.advanceSchedules(by: .seconds(60))
        #expect(try await test.store.occurrenceMinutes(ofTask: "slow") == [1, 2, 4])
        await test.stop()
    }

    @Test func bufferedOccurrenceRunsWhenTheRunIsCanceled() async throws {
        let test = TestErrand(configuration: Errand.Configuration(allowsUnregisteredTasks: true), scheduler: virtualScheduler)
        let created = try await test.errand.createSchedule(NewSchedule(task: "elsewhere", expression: "rate(1 minute)", overlap: .bufferOne))
        try await test.startScheduling()
        try await test.advanceSchedules(by: .seconds(60))
        try await test.advanceSchedules(by: .seconds(60))
        let first = try #require(try await test.store.runs(ofTask: "elsewhere").first)
        #expect(first.status == .queued, "no worker here runs the task")
        #expect(try await test.errand.schedule(id: created.id)?.bufferedOccurrenceAt == minute(2))
        try await test.errand.cancel(first.id)
        try await test.settleSchedules()
        #expect(try await test.store.occurrenceMinutes(ofTask: "elsewhere") == [1, 2])
        await test.stop()
    }

    // MARK: Pause and resume

    @Test func pausedScheduleFiresNothingAndResumesFromNow() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        let created = try await test.errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 minute)", payload: greeting("x")))
        try await test.startScheduling()
        try await test.advanceSchedules(by: .seconds(60))
        let paused = try await test.errand.pauseSchedule(created.id)
        #expect(paused.paused)
        #expect(try await test.errand.nextFireTimes(ofSchedule: created.id, count: 3).isEmpty, "a paused schedule has no fire times")
        for _ in 1...5 { try await test.advanceSchedules(by: .seconds(60)) }
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == [1])
        let resumed = try await test.errand.resumeSchedule(created.id)
        #expect(!resumed.paused)
        #expect(resumed.nextFireAt == minute(7), "the first occurrence after now, on the rate's grid; nothing caught up")
        #expect(try await test.errand.resumeSchedule(created.id) == resumed, "resuming again changes nothing")
        try await test.advanceSchedules(by: .seconds(60))
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == [1, 7])
        await #expect(throws: ErrandError.self) { try await test.errand.pauseSchedule("sched_unknown") }
        await test.stop()
    }

    @Test func deletedScheduleStopsFiringAndKeepsItsRuns() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        let created = try await test.errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 minute)", payload: greeting("x")))
        try await test.startScheduling()
        try await test.advanceSchedules(by: .seconds(60))
        try await test.errand.deleteSchedule(created.id)
        try await test.advanceSchedules(by: .seconds(120))
        let runs = try await test.store.runs(ofTask: "tick")
        #expect(runs.count == 1 && runs[0].scheduleID == created.id)
        #expect(try await test.errand.schedule(id: created.id) == nil)
        let error = await #expect(throws: ErrandError.self) { try await test.errand.deleteSchedule(created.id) }
        #expect(error?.code == .scheduleNotFound)
        await test.stop()
    }

    @Test func scheduleCreatedAtRunTimeWakesARunningScheduler() async throws {
        let test = schedulerTest()
        try test.errand.register(tick)
        try await test.startScheduling()
        try await test.errand.createSchedule(NewSchedule(task: "tick", expression: "rate(1 minute)", payload: greeting("x")))
        try await test.advanceSchedules(by: .seconds(60))
        #expect(try await test.store.occurrenceMinutes(ofTask: "tick") == [1])
        await test.stop()
    }
}
