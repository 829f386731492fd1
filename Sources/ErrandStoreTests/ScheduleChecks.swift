import Errand
import Foundation
import Synchronization
import Testing

/// Schedules CRUD: upsert by key, reads, listing, pause and resume, deletion, reconciliation.
enum ScheduleChecks {
    static func upsertAndReadBackEveryField(_ store: any RunStore & ScheduleStore) async throws {
        var full = makeSchedule(
            key: "full", task: "digest", externalID: "user-42", expression: "0 9 ? * MON-FRI *", kind: .cron,
            timeZone: "Europe/Berlin", payload: samplePayload, catchUp: .all(within: .seconds(3600)), overlap: .bufferOne,
            paused: true, nextFireAt: at(3600), declared: true
        )
        full.lastOccurrenceAt = at(-60)
        full.lastRunID = RunID("run_previous")
        full.bufferedOccurrenceAt = at(-30)
        full.updatedAt = at(5)
        let sparse = makeSchedule(key: "sparse", externalID: nil, anchor: at(-0.5), payload: Data(), catchUp: .skip, nextFireAt: nil)
        try await store.create([full, sparse])
        #expect(try await store.schedule(id: full.id) == full, "every field round-trips")
        #expect(try await store.schedule(key: "full") == full, "found by key")
        #expect(try await store.schedule(id: sparse.id) == sparse, "nil fields and an empty payload round-trip")
        #expect(try await store.schedule(key: "sparse") == sparse)
    }

    static func unknownScheduleReadsAsNil(_ store: any RunStore & ScheduleStore) async throws {
        #expect(try await store.schedule(id: "sched_missing") == nil)
        #expect(try await store.schedule(key: "missing") == nil)
        #expect(try await store.setSchedulePaused(id: "sched_missing", paused: true, now: t0, nextFireAt: { _ in nil }) == nil)
        #expect(try await store.deleteSchedule(id: "sched_missing") == nil)
    }

    static func keepExistingReturnsTheStoredSchedule(_ store: any RunStore & ScheduleStore) async throws {
        let original = try await store.create([makeSchedule(key: "user-1", externalID: "u1")])[0]
        let again = makeSchedule(key: "user-1", externalID: "other", expression: "rate(5 minutes)", nextFireAt: at(300))
        let results = try await store.upsertSchedules([again], onConflict: .keepExisting, now: at(10))
        #expect(results == [ScheduleUpsertResult(schedule: original, outcome: .unchanged)], "the same key returns the stored schedule")
        #expect(try await store.schedule(id: again.id) == nil, "no second schedule")
        #expect(try await store.listSchedules(ScheduleQuery()).count == 1)
    }

    static func updateDefinitionKeepsState(_ store: any RunStore & ScheduleStore) async throws {
        let original = try await store.create([makeSchedule(key: "report", declared: true)])[0]
        let (fired, _) = try await store.fire(firing(original, next: at(120), occurrences: [at(60)]))
        _ = try await store.setSchedulePaused(id: original.id, paused: true, now: at(61), nextFireAt: { _ in nil })
        // Same timing, new payload and policies; the given record's state must not win.
        var changed = makeSchedule(key: "report", task: "report-v2", externalID: "ops", payload: Data("[1]".utf8), catchUp: .skip, overlap: .skip, nextFireAt: at(9999), declared: true)
        changed.lastRunID = nil
        let results = try await store.upsertSchedules([changed], onConflict: .updateDefinition, now: at(70))
        let updated = try #require(results.first)
        #expect(updated.outcome == .updated)
        let stored = try await store.fetchSchedule(original.id)
        #expect(stored == updated.schedule)
        #expect(stored.id == original.id && stored.createdAt == original.createdAt, "id and creation time kept")
        #expect(stored.task == "report-v2" && stored.payload == Data("[1]".utf8) && stored.externalID == "ops")
        #expect(stored.catchUp == .skip && stored.overlap == .skip, "policies updated")
        #expect(stored.nextFireAt == at(120), "same timing: the next fire time is kept")
        #expect(stored.lastRunID == fired.lastRunID && stored.lastOccurrenceAt == at(60), "firing state kept")
        #expect(stored.paused, "the pause flag is kept")
        #expect(stored.updatedAt == at(70))
        let again = try await store.upsertSchedules([changed], onConflict: .updateDefinition, now: at(80))
        #expect(again.first?.outcome == .unchanged, "an identical definition writes nothing")
        #expect(try await store.fetchSchedule(original.id).updatedAt == at(70))
    }

    static func timingChangeTakesNewNextFireTime(_ store: any RunStore & ScheduleStore) async throws {
        let original = try await store.create([makeSchedule(key: "k", declared: true)])[0]
        let cron = makeSchedule(key: "k", expression: "*/5 * * * *", kind: .cron, nextFireAt: at(300), declared: true)
        let results = try await store.upsertSchedules([cron], onConflict: .updateDefinition, now: at(10))
        #expect(results.first?.outcome == .updated)
        let stored = try await store.fetchSchedule(original.id)
        #expect(stored.expression == "*/5 * * * *" && stored.kind == .cron)
        #expect(stored.nextFireAt == at(300), "a new expression takes the given next fire time")
        let zoned = makeSchedule(key: "k", expression: "*/5 * * * *", kind: .cron, timeZone: "Asia/Tokyo", nextFireAt: at(600), declared: true)
        _ = try await store.upsertSchedules([zoned], onConflict: .updateDefinition, now: at(20))
        #expect(try await store.fetchSchedule(original.id).nextFireAt == at(600), "so does a new time zone")
    }

    static func listFiltersAndPaginates(_ store: any RunStore & ScheduleStore) async throws {
        var created: [Schedule] = []
        for index in 0..<7 {
            created.append(makeSchedule(
                key: "s\(index)", task: index % 2 == 0 ? "even" : "odd", externalID: index < 3 ? "user-a" : "user-b",
                paused: index == 6, declared: index >= 5, createdAt: at(Double(index))
            ))
        }
        try await store.create(created)
        let ids = created.map(\.id).sorted()
        #expect(try await store.listSchedules(ScheduleQuery()).map(\.id) == ids, "by id")
        #expect(Set(try await store.listSchedules(ScheduleQuery(task: "even")).map(\.key)) == ["s0", "s2", "s4", "s6"])
        #expect(Set(try await store.listSchedules(ScheduleQuery(externalID: "user-a")).map(\.key)) == ["s0", "s1", "s2"])
        #expect(Set(try await store.listSchedules(ScheduleQuery(declared: true)).map(\.key)) == ["s5", "s6"])
        #expect(Set(try await store.listSchedules(ScheduleQuery(declared: false)).map(\.key)).count == 5)
        #expect(try await store.listSchedules(ScheduleQuery(paused: true)).map(\.key) == ["s6"])
        #expect(Set(try await store.listSchedules(ScheduleQuery(task: "odd", externalID: "user-b")).map(\.key)) == ["s3", "s5"])
        var pages: [[String]] = []
        var after: String?
        repeat {
            let page = try await store.listSchedules(ScheduleQuery(limit: 3, after: after)).map(\.id)
            if page.isEmpty { break }
            pages.append(page)
            after = page.last
        } while pages.count < 10
        #expect(pages.map(\.count) == [3, 3, 1])
        #expect(pages.flatMap { $0 } == ids, "pages follow each other without gaps or repeats")
    }

    static func pauseAndResume(_ store: any RunStore & ScheduleStore) async throws {
        var schedule = makeSchedule(key: "k", overlap: .bufferOne)
        schedule.bufferedOccurrenceAt = at(0)
        try await store.create([schedule])
        let paused = try #require(try await store.setSchedulePaused(id: schedule.id, paused: true, now: at(10), nextFireAt: { _ in at(9999) }))
        #expect(paused.paused)
        #expect(paused.bufferedOccurrenceAt == nil, "pausing drops the buffered occurrence")
        #expect(paused.nextFireAt == at(60), "pausing keeps the next fire time")
        #expect(paused.updatedAt == at(10))
        #expect(try await store.dueSchedules(now: at(1000), limit: 10).isEmpty, "a paused schedule is never due")
        #expect(try await store.nextScheduleFireTime() == nil)
        let again = try await store.setSchedulePaused(id: schedule.id, paused: true, now: at(20), nextFireAt: { _ in nil })
        #expect(again == paused, "pausing a paused schedule changes nothing")
        let resumed = try #require(try await store.setSchedulePaused(id: schedule.id, paused: false, now: at(1000), nextFireAt: { _ in at(1020) }))
        #expect(!resumed.paused)
        #expect(resumed.nextFireAt == at(1020), "resuming takes the given next fire time")
        #expect(try await store.fetchSchedule(schedule.id) == resumed)
        let noop = try await store.setSchedulePaused(id: schedule.id, paused: false, now: at(1001), nextFireAt: { _ in at(5000) })
        #expect(noop?.nextFireAt == at(1020), "resuming an active schedule changes nothing")
    }

    /// Resuming hands the schedule as stored, in the resuming transaction, to the function that
    /// computes its next fire time: a definition changed since the caller last read it is the one
    /// used. The function is called only when a paused schedule is resumed, and its error leaves
    /// the schedule paused.
    static func resumeComputesTheNextFireTimeFromTheStoredSchedule(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k", paused: true, declared: true)])[0]
        // A reconciliation changes the timing while the schedule is paused.
        let changed = makeSchedule(key: "k", expression: "rate(5 minutes)", paused: true, nextFireAt: at(300), declared: true)
        _ = try await store.upsertSchedules([changed], onConflict: .updateDefinition, now: at(10))
        let seen = Mutex<[Schedule]>([])
        let next: @Sendable (Schedule) throws -> Date? = { stored in
            seen.withLock { $0.append(stored) }
            return stored.expression == "rate(5 minutes)" ? at(500) : at(1)
        }
        let resumed = try #require(try await store.setSchedulePaused(id: schedule.id, paused: false, now: at(20), nextFireAt: next))
        #expect(seen.withLock { $0.map(\.expression) } == ["rate(5 minutes)"], "computed from the stored definition")
        #expect(seen.withLock { $0.first?.paused } == true, "the schedule as it was before resuming")
        #expect(resumed.nextFireAt == at(500) && !resumed.paused)
        _ = try await store.setSchedulePaused(id: schedule.id, paused: false, now: at(30), nextFireAt: next)
        _ = try await store.setSchedulePaused(id: schedule.id, paused: true, now: at(40), nextFireAt: next)
        #expect(seen.withLock { $0.count } == 1, "not called to pause, nor to resume an active schedule")

        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await store.setSchedulePaused(id: schedule.id, paused: false, now: at(50)) { _ in throw Refused() }
        }
        let stored = try await store.fetchSchedule(schedule.id)
        #expect(stored.paused && stored.nextFireAt == at(500) && stored.updatedAt == at(40), "a failed resume changes nothing")
    }

    static func deleteSchedule(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k")])[0]
        let (_, results) = try await store.fire(firing(schedule, next: at(120), occurrences: [at(60)]))
        let deleted = try await store.deleteSchedule(id: schedule.id)
        #expect(deleted?.id == schedule.id)
        #expect(try await store.schedule(id: schedule.id) == nil)
        #expect(try await store.schedule(key: "k") == nil, "the key is free again")
        #expect(try await store.run(id: results[0].id)?.scheduleID == schedule.id, "the runs are kept")
        try await store.create([makeSchedule(key: "k")])
    }

    static func deleteDeclaredKeepsListedAndRunTimeSchedules(_ store: any RunStore & ScheduleStore) async throws {
        try await store.create([
            makeSchedule(key: "keep", declared: true), makeSchedule(key: "gone-1", declared: true),
            makeSchedule(key: "gone-2", declared: true), makeSchedule(key: "runtime", declared: false),
        ])
        let removed = try await store.deleteDeclaredSchedules(except: ["keep", "runtime", "unknown"])
        #expect(Set(removed.map(\.key)) == ["gone-1", "gone-2"])
        #expect(Set(try await store.listSchedules(ScheduleQuery()).map(\.key)) == ["keep", "runtime"])
        #expect(try await store.deleteDeclaredSchedules(except: []).map(\.key) == ["keep"], "run-time schedules are never removed")
        #expect(try await store.listSchedules(ScheduleQuery()).map(\.key) == ["runtime"])
    }
}
