import Foundation

/// A schedule with work to do, as ``ScheduleStore/dueSchedules(now:limit:)`` lists it.
public struct DueSchedule: Sendable, Hashable {
    /// The schedule.
    public var schedule: Schedule
    /// The status of its last run (``Schedule/lastRunID``); `nil` when it has none or the run was
    /// pruned (both count as finished for the overlap policies).
    public var lastRunStatus: RunStatus?

    /// Creates a due schedule.
    public init(schedule: Schedule, lastRunStatus: RunStatus?) {
        self.schedule = schedule
        self.lastRunStatus = lastRunStatus
    }

    /// Whether the last run is still unfinished (neither absent nor in a final status).
    public var lastRunIsUnfinished: Bool { lastRunStatus.map { !$0.isFinal } ?? false }

    /// The order of ``ScheduleStore/dueSchedules(now:limit:)``, which every store applies to the
    /// candidates its probes found: first the schedules with work now (due at `now`, or holding
    /// a buffered occurrence whose last run has finished), then those that only wait for their
    /// last run to finish to start a buffered occurrence; each part by the earlier of its fire
    /// time and buffered occurrence, then id; at most `limit`. So schedules that wait can never
    /// take a whole batch and keep a due one from firing. A candidate with nothing at `now` is
    /// left out; one listed twice is taken once.
    public static func ordered(_ candidates: [DueSchedule], now: Date, limit: Int) -> [DueSchedule] {
        var found: [String: (waits: Bool, dueAt: Date, due: DueSchedule)] = [:]
        for candidate in candidates {
            let schedule = candidate.schedule
            let fire = schedule.nextFireAt.flatMap { $0 <= now ? $0 : nil }
            guard let dueAt = [fire, schedule.bufferedOccurrenceAt].compactMap({ $0 }).min() else { continue }
            found[schedule.id] = (fire == nil && candidate.lastRunIsUnfinished, dueAt, candidate)
        }
        return found.values
            .sorted { (Self.rank($0.waits), $0.dueAt, $0.due.schedule.id) < (Self.rank($1.waits), $1.dueAt, $1.due.schedule.id) }
            .prefix(limit).map(\.due)
    }

    private static func rank(_ waits: Bool) -> Int { waits ? 1 : 0 }
}
