/// How a ``Scheduler`` works.
public struct SchedulerConfiguration: Sendable {
    /// How often an idle scheduler looks at the store anyway: for schedules created, resumed or
    /// changed by another process, and for buffered occurrences whose previous run finished in
    /// another process. Changes made through this process's ``Errand`` and runs finished by its
    /// workers wake the scheduler at once. Default 1 second.
    public var pollInterval: Duration
    /// At most this many due schedules per store read. Default 100.
    public var batchSize: Int
    /// How late an occurrence may be handled and still count as on time rather than missed (see
    /// ``CatchUpPolicy``). Less than a minute, so at most one occurrence is ever on time. Default
    /// 10 seconds.
    public var lateness: Duration
    /// Whether the scheduler reconciles the engine's declared schedules with the store when it
    /// starts (and again when more are declared): adds new ones, updates changed ones and deletes
    /// declared schedules that are no longer declared. Every process whose scheduler reconciles
    /// against one store must declare the same schedules; turn it off in processes that do not
    /// own them. Default `true`.
    public var reconcilesDeclaredSchedules: Bool

    /// Creates a scheduler configuration.
    public init(
        pollInterval: Duration = .seconds(1), batchSize: Int = 100, lateness: Duration = .seconds(10),
        reconcilesDeclaredSchedules: Bool = true
    ) {
        self.pollInterval = pollInterval
        self.batchSize = batchSize
        self.lateness = lateness
        self.reconcilesDeclaredSchedules = reconcilesDeclaredSchedules
    }

    /// Checks the values, naming the first bad one.
    public func validate() throws {
        guard pollInterval > .zero else {
            throw ErrandError.invalidArgument(field: "pollInterval", value: "\(pollInterval)", allowed: "must be positive")
        }
        guard batchSize >= 1 else {
            throw ErrandError.invalidArgument(field: "batchSize", value: String(batchSize), allowed: "must be at least 1")
        }
        guard lateness >= .zero, lateness < .seconds(60) else {
            throw ErrandError.invalidArgument(field: "lateness", value: "\(lateness)", allowed: "must be at least 0 and less than 60 seconds")
        }
    }
}
