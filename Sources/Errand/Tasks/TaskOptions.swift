/// A task's options.
public struct TaskOptions: Sendable, Hashable {
    /// The longest one attempt may run (Ampt's `timeout`); the handler can change it at run time
    /// with ``RunContext/setTimeout(_:)``. Default 30 s.
    public var timeout: Duration
    /// The longest the whole run may execute, summed over its attempts (Trigger.dev's
    /// `maxDuration`); past it the run ends `timedOut` without retry. `nil` = no limit.
    public var maxDuration: Duration?
    /// How failed attempts are retried.
    public var retry: RetryPolicy
    /// The queue and its concurrency limit.
    public var queue: QueueOptions
    /// The default priority of the task's runs (higher first).
    public var priority: Int
    /// A default time to live: a run not started within it expires. `nil` = never.
    public var ttl: Duration?
    /// Tags added to every run of the task.
    public var tags: [String]
    /// Labels a worker must advertise (``WorkerConfiguration/labels``) to claim the task's runs,
    /// for example `gpu` or `large`: routing to the right machines.
    public var requiredLabels: Set<String>
    /// Worker slots one attempt takes (default 1): a worker with capacity 8 runs at most two
    /// attempts of cost 4 at once.
    public var cost: Int

    /// Creates task options.
    public init(
        timeout: Duration = .seconds(30), maxDuration: Duration? = nil, retry: RetryPolicy = .default,
        queue: QueueOptions = QueueOptions(), priority: Int = 0, ttl: Duration? = nil, tags: [String] = [],
        requiredLabels: Set<String> = [], cost: Int = 1
    ) {
        self.timeout = timeout
        self.maxDuration = maxDuration
        self.retry = retry
        self.queue = queue
        self.priority = priority
        self.ttl = ttl
        self.tags = tags
        self.requiredLabels = requiredLabels
        self.cost = cost
    }

    /// Checks every option, naming the first bad one.
    public func validate() throws {
        guard timeout > .zero else {
            throw ErrandError.invalidArgument(field: "timeout", value: "\(timeout)", allowed: "must be positive")
        }
        if let maxDuration, maxDuration <= .zero {
            throw ErrandError.invalidArgument(field: "maxDuration", value: "\(maxDuration)", allowed: "must be positive")
        }
        if let concurrency = queue.concurrency, concurrency < 1 {
            throw ErrandError.invalidArgument(field: "queue.concurrency", value: String(concurrency), allowed: "must be at least 1, or nil for no limit")
        }
        if let name = queue.name { try TaskName.validate(name, field: "queue.name") }
        if let ttl, ttl <= .zero {
            throw ErrandError.invalidArgument(field: "ttl", value: "\(ttl)", allowed: "must be positive")
        }
        try TriggerOptions.validateTags(tags)
        try retry.validate()
        guard (1...1024).contains(cost) else {
            throw ErrandError.invalidArgument(field: "cost", value: String(cost), allowed: "a task's cost is 1 to 1024 worker slots")
        }
        for label in requiredLabels {
            try WorkerLabels.validate(label, field: "requiredLabels")
        }
    }
}

/// Rules for task and queue names.
public enum TaskName {
    /// The longest name allowed (the Ampt limit).
    public static let maximumLength = 64

    /// Checks a name: 1…64 characters, no control characters.
    public static func validate(_ name: String, field: String = "name") throws {
        guard !name.isEmpty else {
            throw ErrandError.invalidArgument(field: field, value: name, allowed: "must not be empty")
        }
        guard name.count <= maximumLength else {
            throw ErrandError.invalidArgument(
                field: field, value: name,
                allowed: "is \(name.count) characters long; at most \(maximumLength) are allowed"
            )
        }
        guard !IdentifierText.hasControlCharacter(name) else {
            throw ErrandError.invalidArgument(field: field, value: name, allowed: "must not contain control characters")
        }
    }
}
