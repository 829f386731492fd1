/// What ``ScheduleStore/upsertSchedules(_:onConflict:now:)`` does with a schedule whose key is
/// already stored.
public enum ScheduleConflict: Sendable, Hashable {
    /// Keep the stored schedule as it is (deduplication of schedules created at run time).
    case keepExisting
    /// Update the stored schedule's definition (task, expression, kind, time zone, anchor,
    /// payload, policies, external id, declared flag) from the given record, keeping its id,
    /// creation time, pause flag and firing state. When the timing (expression, kind, time zone
    /// or anchor) changed, ``Schedule/nextFireAt`` is taken from the given record too
    /// (reconciliation of declared schedules).
    case updateDefinition
}
