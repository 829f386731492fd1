import Errand
import Foundation
import Testing

/// Which schedules have work: due listing order, filters, last run status, the next wake-up.
enum DueScheduleChecks {
    static func dueListingOrderAndFilters(_ store: any RunStore & ScheduleStore) async throws {
        var buffered = makeSchedule(key: "buffered", overlap: .bufferOne, nextFireAt: at(500))
        buffered.bufferedOccurrenceAt = at(15)
        var pausedBuffered = makeSchedule(key: "paused-buffered", overlap: .bufferOne, paused: true, nextFireAt: at(1))
        pausedBuffered.bufferedOccurrenceAt = at(1)
        try await store.create([
            makeSchedule(key: "late", nextFireAt: at(30)),
            makeSchedule(key: "early", nextFireAt: at(10)),
            makeSchedule(key: "exactly-now", nextFireAt: at(40)),
            makeSchedule(key: "future", nextFireAt: at(41)),
            makeSchedule(key: "paused", paused: true, nextFireAt: at(5)),
            makeSchedule(key: "never", nextFireAt: nil),
            buffered, pausedBuffered,
        ])
        let due = try await store.dueSchedules(now: at(40), limit: 100)
        #expect(due.map(\.schedule.key) == ["early", "buffered", "late", "exactly-now"],
                "due at or before now, or buffered, by the earlier time; paused, future and finished schedules left out")
        #expect(try await store.dueSchedules(now: at(40), limit: 2).map(\.schedule.key) == ["early", "buffered"], "limit")
        #expect(try await store.dueSchedules(now: at(40), limit: 0).isEmpty)
        #expect(try await store.dueSchedules(now: at(9), limit: 100).map(\.schedule.key) == ["buffered"],
                "a buffered occurrence is listed whatever its next fire time")
    }

    /// Schedules holding a buffered occurrence while their last run is unfinished have nothing
    /// to do but wait: however early their occurrences, they come after every schedule with work
    /// (due, or buffered with its last run finished), so a full batch of them never keeps those
    /// from firing.
    static func schedulesWaitingForTheirLastRunComeAfterThoseWithWork(_ store: any RunStore & ScheduleStore) async throws {
        let keys = ["wait-a", "wait-b", "wait-c", "ready"]
        let created = try await store.create(keys.map { makeSchedule(key: $0, overlap: .bufferOne, nextFireAt: at(60)) })
        var lastRuns: [String: RunID] = [:]
        for (index, schedule) in created.enumerated() {
            let (_, results) = try await store.fire(firing(schedule, next: at(600), occurrences: [at(60)], buffered: at(Double(70 + index)), now: at(60)))
            lastRuns[schedule.key] = results[0].id
        }
        let claimed = try await store.claim(limit: 10, now: at(80))
        let ready = try #require(claimed.first { $0.id == lastRuns["ready"] })
        try await store.complete(completion(of: ready, .completed, at: at(81)))
        try await store.create([makeSchedule(key: "due", nextFireAt: at(90))])

        #expect(try await store.dueSchedules(now: at(100), limit: 2).map(\.schedule.key) == ["ready", "due"],
                "the waiting ones' earlier occurrences do not crowd out the schedules with work")
        #expect(try await store.dueSchedules(now: at(100), limit: 10).map(\.schedule.key) == ["ready", "due", "wait-a", "wait-b", "wait-c"],
                "the waiting ones come last, each part by time")
    }

    static func dueListingReportsLastRunStatus(_ store: any RunStore & ScheduleStore) async throws {
        let schedules = try await store.create([makeSchedule(key: "a"), makeSchedule(key: "b"), makeSchedule(key: "c")])
        #expect(try await store.dueSchedules(now: at(60), limit: 10).allSatisfy { $0.lastRunStatus == nil }, "no run yet")
        var runs: [String: RunID] = [:]
        for schedule in schedules {
            let (_, results) = try await store.fire(firing(schedule, next: at(120), occurrences: [at(60)], now: at(60)))
            runs[schedule.key] = results[0].id
        }
        let claimed = try await store.claim(limit: 2, now: at(61))
        try #require(claimed.count == 2)
        try await store.complete(completion(of: claimed[0], .completed, at: at(62)))
        let due = try await store.dueSchedules(now: at(120), limit: 10)
        let statuses = Dictionary(uniqueKeysWithValues: due.map { ($0.schedule.lastRunID!, $0.lastRunStatus) })
        #expect(statuses[claimed[0].id] == .completed)
        #expect(statuses[claimed[1].id] == .executing)
        let waiting = try #require(runs.values.first { $0 != claimed[0].id && $0 != claimed[1].id })
        #expect(statuses[waiting] == .queued)
        #expect(due.first { $0.schedule.lastRunID == claimed[0].id }?.lastRunIsUnfinished == false)
        #expect(due.first { $0.schedule.lastRunID == claimed[1].id }?.lastRunIsUnfinished == true)
    }

    static func nextFireTimeIsEarliestActive(_ store: any RunStore & ScheduleStore) async throws {
        #expect(try await store.nextScheduleFireTime() == nil, "no schedules")
        try await store.create([
            makeSchedule(key: "paused", paused: true, nextFireAt: at(5)),
            makeSchedule(key: "never", nextFireAt: nil),
            makeSchedule(key: "later", nextFireAt: at(90)),
            makeSchedule(key: "sooner", nextFireAt: at(30)),
        ])
        #expect(try await store.nextScheduleFireTime() == at(30))
    }
}
