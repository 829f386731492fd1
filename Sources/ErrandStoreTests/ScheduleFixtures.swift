import Errand
import Foundation
import Testing

// Fixtures of the schedule checks; times are whole seconds from `t0` (see ConformanceSupport).

/// A schedule record with defaults for everything a check does not care about: a rate of one
/// minute, due at `t0 + 60 s`.
func makeSchedule(
    key: String, task: String = "task", externalID: String? = nil, expression: String = "rate(1 minute)",
    kind: ScheduleKind = .rate, timeZone: String = "UTC", anchor: Date? = nil, payload: Data = samplePayload,
    catchUp: CatchUpPolicy = .latest, overlap: OverlapPolicy = .allow, paused: Bool = false,
    nextFireAt: Date? = at(60), declared: Bool = false, createdAt: Date = t0
) -> Schedule {
    Schedule(
        id: Schedule.generateID(at: createdAt), key: key, externalID: externalID, task: task, expression: expression,
        kind: kind, timeZone: timeZone, anchor: anchor, payload: payload, catchUp: catchUp, overlap: overlap,
        paused: paused, nextFireAt: nextFireAt, declared: declared, createdAt: createdAt, updatedAt: createdAt
    )
}

/// The run of one occurrence of a schedule.
func occurrenceRun(_ schedule: Schedule, at occurrence: Date) -> NewRun {
    NewRun(
        task: schedule.task, queue: schedule.task, payload: schedule.payload, scheduledAt: occurrence,
        scheduleID: schedule.id, occurrenceAt: occurrence
    )
}

/// A firing of `schedule` as read, moving it to `next` with runs for `occurrences`.
func firing(
    _ schedule: Schedule, next: Date?, occurrences: [Date], buffered: Date? = nil, now: Date? = nil
) -> ScheduleFiring {
    ScheduleFiring(
        scheduleID: schedule.id, expectedNextFireAt: schedule.nextFireAt,
        expectedBufferedOccurrenceAt: schedule.bufferedOccurrenceAt, nextFireAt: next,
        lastOccurrenceAt: occurrences.last ?? schedule.lastOccurrenceAt, bufferedOccurrenceAt: buffered,
        runs: occurrences.map { occurrenceRun(schedule, at: $0) }, now: now ?? occurrences.last ?? t0
    )
}

extension ScheduleStore {
    /// Stores new schedules, requiring that each one is created.
    @discardableResult
    func create(_ schedules: [Schedule], now: Date = t0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [Schedule] {
        let results = try await upsertSchedules(schedules, onConflict: .keepExisting, now: now)
        try #require(results.count == schedules.count, "upsertSchedules returned \(results.count) results for \(schedules.count)", sourceLocation: sourceLocation)
        for (schedule, result) in zip(schedules, results) {
            #expect(result.outcome == .created, "creating \(schedule.key)", sourceLocation: sourceLocation)
            #expect(result.schedule == schedule, "the created record is returned as given", sourceLocation: sourceLocation)
        }
        return results.map(\.schedule)
    }

    /// Reads a schedule, requiring that it exists.
    func fetchSchedule(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Schedule {
        let schedule = try await schedule(id: id)
        return try #require(schedule, "schedule \(id) not found", sourceLocation: sourceLocation)
    }

    /// Fires, requiring that the compare-and-set applies; returns the schedule and the results.
    @discardableResult
    func fire(_ firing: ScheduleFiring, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (Schedule, [InsertResult]) {
        guard case .fired(let schedule, let results) = try await fireSchedule(firing) else {
            Issue.record("firing \(firing.scheduleID) expecting next fire time \(String(describing: firing.expectedNextFireAt)) was stale", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return (schedule, results)
    }
}
