/// What ``ScheduleStore/upsertSchedules(_:onConflict:now:)`` did with one schedule.
public struct ScheduleUpsertResult: Sendable, Hashable {
    /// What happened.
    public enum Outcome: String, Sendable, Hashable {
        /// No schedule had the key: the given record was stored.
        case created
        /// The stored schedule's definition was updated.
        case updated
        /// The stored schedule was kept as it was.
        case unchanged
    }

    /// The schedule as stored after the call.
    public var schedule: Schedule
    /// What happened.
    public var outcome: Outcome

    /// Creates a result.
    public init(schedule: Schedule, outcome: Outcome) {
        self.schedule = schedule
        self.outcome = outcome
    }
}
