import Errand
import Foundation
import Testing

/// Many schedulers at once: each occurrence fires once.
enum FireConcurrencyChecks {
    static func concurrentFiresApplyOnce(_ store: any RunStore & ScheduleStore) async throws {
        let schedule = try await store.create([makeSchedule(key: "k", nextFireAt: at(60))])[0]
        // Twenty schedulers read the same state and fire the same occurrence, each with its own run.
        let results = try await withThrowingTaskGroup(of: ScheduleFireResult.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.fireSchedule(firing(schedule, next: at(120), occurrences: [at(60)], now: at(60))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let fired = results.compactMap { result -> Schedule? in
            if case .fired(let schedule, _) = result { return schedule }
            return nil
        }
        #expect(fired.count == 1, "exactly one compare-and-set applies")
        #expect(results.count == 20)
        let runs = try await store.listRuns(RunQuery()).runs
        #expect(runs.count == 1, "one run for the occurrence")
        #expect(runs.first?.id == fired.first?.lastRunID)
        #expect(try await store.fetchSchedule(schedule.id).nextFireAt == at(120))
    }

    static func concurrentFiresOfManySchedules(_ store: any RunStore & ScheduleStore) async throws {
        let schedules = try await store.create((0..<10).map { makeSchedule(key: "s\($0)", nextFireAt: at(60)) })
        // Four schedulers race over ten schedules and five occurrences each, re-reading on a loss.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for minute in 1...5 {
                        let now = at(Double(minute * 60))
                        for due in try await store.dueSchedules(now: now, limit: 100) {
                            let schedule = due.schedule
                            guard let occurrence = schedule.nextFireAt else { continue }
                            _ = try await store.fireSchedule(
                                firing(schedule, next: occurrence.addingTimeInterval(60), occurrences: [occurrence], now: now)
                            )
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let runs = try await store.listRuns(RunQuery(limit: 1000)).runs
        var perOccurrence: [String: Int] = [:]
        for run in runs { perOccurrence["\(run.scheduleID ?? "?") \(run.occurrenceAt?.timeIntervalSince(t0) ?? -1)", default: 0] += 1 }
        #expect(perOccurrence.values.allSatisfy { $0 == 1 }, "no occurrence has two runs")
        for schedule in schedules {
            let stored = try await store.fetchSchedule(schedule.id)
            let count = runs.filter { $0.scheduleID == schedule.id }.count
            // Every fired occurrence before the schedule's next fire time has exactly one run.
            let expected = Int((stored.nextFireAt ?? at(60)).timeIntervalSince(at(60)) / 60)
            #expect(count == expected, "schedule \(schedule.key): \(count) runs for \(expected) fired occurrences")
        }
        #expect(runs.count >= 10, "every schedule fired at least once")
    }
}
