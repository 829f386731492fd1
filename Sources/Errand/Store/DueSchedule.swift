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
}
