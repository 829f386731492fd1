/// A queue's settings, as the engine declares them to a store.
public struct QueueConfig: Sendable, Hashable, Codable {
    /// The queue's name.
    public var name: String
    /// At most this many runs of the queue execute at once across all workers (per concurrency
    /// key, when runs carry one); `nil` means no limit.
    public var concurrency: Int?

    /// Creates queue settings.
    public init(name: String, concurrency: Int? = nil) {
        self.name = name
        self.concurrency = concurrency
    }
}

/// A queue as a store sees it: its settings and how many runs it holds in each status.
public struct QueueState: Sendable, Hashable, Codable {
    /// The settings.
    public var config: QueueConfig
    /// Whether claims skip the queue.
    public var paused: Bool
    /// Runs by status (unfinished statuses only).
    public var counts: [RunStatus: Int]

    /// Creates a queue state.
    public init(config: QueueConfig, paused: Bool, counts: [RunStatus: Int]) {
        self.config = config
        self.paused = paused
        self.counts = counts
    }
}
