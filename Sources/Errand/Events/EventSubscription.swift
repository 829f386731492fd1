import Foundation

/// A task's subscription to published events: when an event whose name matches ``pattern`` and
/// whose payload passes ``filter`` is published, a run of ``task`` is created with the event's
/// payload, once per event.
///
/// Subscriptions are stored (``RunStore/replaceSubscriptions(_:forTasks:)``) so that a process
/// that publishes without knowing the task (the CLI, another app) still creates its runs; the
/// stored copy carries what the run needs (queue, priority, retries, labels).
public struct EventSubscription: Codable, Sendable, Hashable {
    /// The subscribing task.
    public var task: String
    /// The event name pattern (see ``EventPattern``).
    public var pattern: String
    /// A filter on the payload.
    public var filter: EventFilter
    /// A delay between the event and the run (Ampt's `welcomeTask.run("1 hour", …)`), in
    /// milliseconds; `nil` for none.
    public var delayMilliseconds: Int64?
    /// The run's queue.
    public var queue: String
    /// The run's priority.
    public var priority: Int
    /// The run's attempts.
    public var maxAttempts: Int
    /// The run's tags.
    public var tags: [String]
    /// Labels a worker needs to claim the run.
    public var requiredLabels: [String]
    /// Worker slots the run takes.
    public var cost: Int

    /// A subscription.
    public init(
        task: String, pattern: String, filter: EventFilter = EventFilter(), delayMilliseconds: Int64? = nil, queue: String,
        priority: Int = 0, maxAttempts: Int = 3, tags: [String] = [], requiredLabels: [String] = [], cost: Int = 1
    ) {
        self.task = task
        self.pattern = pattern
        self.filter = filter
        self.delayMilliseconds = delayMilliseconds
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.tags = tags
        self.requiredLabels = requiredLabels
        self.cost = cost
    }
}
