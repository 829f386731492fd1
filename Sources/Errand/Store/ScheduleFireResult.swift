/// What ``ScheduleStore/fireSchedule(_:)`` did.
public enum ScheduleFireResult: Sendable, Hashable {
    /// The compare-and-set applied: the schedule as stored now, and one insert result per run
    /// (`created: false` with the existing run's id for an occurrence that already had a run).
    case fired(Schedule, [InsertResult])
    /// The schedule changed since it was read (another scheduler fired it, it was paused,
    /// resumed or redefined): nothing was written. Carries the current schedule, or `nil` when it
    /// was deleted.
    case stale(Schedule?)
}
