/// Filters and a page for ``ScheduleStore/listSchedules(_:)``. Schedules come by id, oldest first.
public struct ScheduleQuery: Sendable, Hashable {
    /// Only schedules of this task.
    public var task: String?
    /// Only schedules with this external id.
    public var externalID: String?
    /// Only declared (`true`) or only run-time (`false`) schedules.
    public var declared: Bool?
    /// Only paused (`true`) or only active (`false`) schedules.
    public var paused: Bool?
    /// Page size (1…1000).
    public var limit: Int
    /// Only schedules whose id sorts after this one (the last id of the previous page).
    public var after: String?

    /// Creates a query.
    public init(
        task: String? = nil, externalID: String? = nil, declared: Bool? = nil, paused: Bool? = nil, limit: Int = 100,
        after: String? = nil
    ) {
        self.task = task
        self.externalID = externalID
        self.declared = declared
        self.paused = paused
        self.limit = limit
        self.after = after
    }

    /// Whether a schedule passes the filters and the cursor; for stores that filter in memory.
    public func matches(_ schedule: Schedule) -> Bool {
        if let task, schedule.task != task { return false }
        if let externalID, schedule.externalID != externalID { return false }
        if let declared, schedule.declared != declared { return false }
        if let paused, schedule.paused != paused { return false }
        if let after, schedule.id <= after { return false }
        return true
    }
}
