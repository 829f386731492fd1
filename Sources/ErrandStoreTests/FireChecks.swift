import Errand
import Foundation
import Testing

/// Firing: the compare-and-set, the runs it creates, buffering, and one run per occurrence.
enum FireChecks {
    static func fireInsertsRunsAndAdvances(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k", nextFireAt: at(60))])[0]
        let (fired, results) = try await store.fire(firing(schedule, next: at(240), occurrences: [at(60), at(120), at(180)], now: at(200)))
        #expect(results.count == 3 && results.allSatisfy(\.created))
        #expect(fired.nextFireAt == at(240))
        #expect(fired.lastOccurrenceAt == at(180))
        #expect(fired.lastRunID == results.last?.id, "the last run is the schedule's last run")
        #expect(fired.bufferedOccurrenceAt == nil)
        #expect(fired.updatedAt == at(200))
        #expect(try await store.fetchSchedule(schedule.id) == fired)
        for (result, occurrence) in zip(results, [at(60), at(120), at(180)]) {
            let run = try await store.fetch(result.id)
            #expect(run.scheduleID == schedule.id, "the run records its schedule")
            #expect(run.occurrenceAt == occurrence, "and its occurrence")
            #expect(run.scheduledAt == occurrence)
            #expect(run.createdAt == at(200))
            #expect(run.status == .queued)
        }
        let claimed = try await store.claim(limit: 10, now: at(200))
        #expect(claimed.map(\.occurrenceAt) == [at(60), at(120), at(180)], "claimed oldest occurrence first")
        let quiet = try await store.fire(firing(fired, next: at(300), occurrences: [], now: at(250)))
        #expect(quiet.0.lastRunID == fired.lastRunID, "a firing without runs keeps the last run")
        #expect(quiet.0.nextFireAt == at(300))
    }

    static func fireWithStaleExpectationChangesNothing(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k", nextFireAt: at(60))])[0]
        var stale = schedule
        stale.nextFireAt = at(0)
        let result = try await store.fireSchedule(firing(stale, next: at(120), occurrences: [at(60)], now: at(60)))
        #expect(result == .stale(schedule), "the current schedule comes back")
        var wrongBuffer = schedule
        wrongBuffer.bufferedOccurrenceAt = at(1)
        #expect(try await store.fireSchedule(firing(wrongBuffer, next: at(120), occurrences: [at(60)], now: at(60))) == .stale(schedule))
        #expect(try await store.listRuns(RunQuery()).runs.isEmpty, "no run was inserted")
        #expect(try await store.fetchSchedule(schedule.id) == schedule)
    }

    static func fireOnPausedOrDeletedScheduleIsStale(_ store: any RunStore & ScheduleStore) async throws {
        let schedules = try await store.create([makeSchedule(key: "paused"), makeSchedule(key: "deleted")])
        let paused = try #require(try await store.setSchedulePaused(id: schedules[0].id, paused: true, now: at(1), nextFireAt: { _ in nil }))
        #expect(try await store.fireSchedule(firing(schedules[0], next: at(120), occurrences: [at(60)], now: at(60))) == .stale(paused))
        _ = try await store.deleteSchedule(id: schedules[1].id)
        #expect(try await store.fireSchedule(firing(schedules[1], next: at(120), occurrences: [at(60)], now: at(60))) == .stale(nil))
        #expect(try await store.listRuns(RunQuery()).runs.isEmpty)
    }

    static func fireBuffersAndReleases(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k", overlap: .bufferOne, nextFireAt: at(60))])[0]
        let (first, firstRuns) = try await store.fire(firing(schedule, next: at(120), occurrences: [at(60)], now: at(60)))
        let (buffering, none) = try await store.fire(firing(first, next: at(180), occurrences: [], buffered: at(120), now: at(120)))
        #expect(none.isEmpty)
        #expect(buffering.bufferedOccurrenceAt == at(120))
        #expect(buffering.lastRunID == firstRuns[0].id)
        #expect(buffering.lastOccurrenceAt == at(60), "as given")
        let (released, runs) = try await store.fire(firing(buffering, next: at(180), occurrences: [at(120)], buffered: nil, now: at(130)))
        #expect(released.bufferedOccurrenceAt == nil)
        #expect(released.lastRunID == runs[0].id)
        #expect(try await store.fetch(runs[0].id).occurrenceAt == at(120))
    }

    static func duplicateOccurrenceIsNeverInserted(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k", nextFireAt: at(60))])[0]
        let (fired, first) = try await store.fire(firing(schedule, next: at(120), occurrences: [at(60)], now: at(60)))
        // A buggy caller fires the same occurrence again (with a correct expectation).
        let (again, second) = try await store.fire(firing(fired, next: at(180), occurrences: [at(60), at(120)], now: at(120)))
        #expect(second.count == 2)
        #expect(second[0] == InsertResult(id: first[0].id, created: false), "the duplicate occurrence is skipped, not an error")
        #expect(second[1].created)
        #expect(again.lastRunID == second[1].id)
        let runs = try await store.listRuns(RunQuery()).runs
        #expect(runs.count == 2)
        #expect(Set(runs.compactMap(\.occurrenceAt)) == [at(60), at(120)])
        // The same occurrence twice in one firing.
        let (_, twice) = try await store.fire(firing(again, next: at(240), occurrences: [at(180), at(180)], now: at(180)))
        #expect(twice[0].created && !twice[1].created && twice[0].id == twice[1].id)
        #expect(try await store.listRuns(RunQuery()).runs.count == 3)
    }

    static func insertRunsSkipsDuplicateOccurrence(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = makeSchedule(key: "k")
        let first = occurrenceRun(schedule, at: at(60))
        let duplicate = occurrenceRun(schedule, at: at(60))
        let other = occurrenceRun(schedule, at: at(120))
        let plain = makeRun()
        let results = try await store.insertRuns([first, plain, duplicate, other], now: at(130))
        #expect(results == [
            InsertResult(id: first.id, created: true), InsertResult(id: plain.id, created: true),
            InsertResult(id: first.id, created: false), InsertResult(id: other.id, created: true),
        ])
        let later = try await store.insertRuns([occurrenceRun(schedule, at: at(120))], now: at(140))
        #expect(later == [InsertResult(id: other.id, created: false)], "across calls too")
        let otherSchedule = makeSchedule(key: "other")
        #expect(try await store.insertRuns([occurrenceRun(otherSchedule, at: at(60))], now: at(140)).first?.created == true,
                "the occurrence key is per schedule")
        #expect(try await store.listRuns(RunQuery()).runs.count == 4)
    }

    static func prunedOccurrenceCanBeInsertedAgain(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = makeSchedule(key: "k")
        try await store.insert([occurrenceRun(schedule, at: at(60))], now: at(60))
        let run = try await store.claimOne(now: at(60))
        try await store.complete(completion(of: run, .completed, at: at(61)))
        #expect(try await store.pruneRuns(finishedBefore: [.completed: at(100)], limit: 10) == 1)
        let again = occurrenceRun(schedule, at: at(60))
        #expect(try await store.insertRuns([again], now: at(200)) == [InsertResult(id: again.id, created: true)],
                "only stored runs hold their occurrence")
    }
}
