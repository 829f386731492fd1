/// A store that can count its runs by task and status in one query (for `/metrics` gauges).
///
/// Optional: the HTTP server's metrics use it when the store conforms (``MemoryRunStore`` and
/// `SQLiteRunStore` do) and leave the gauge out otherwise.
///
/// ```swift
/// if let counting = store as? any RunCounting {
///     for count in try await counting.runCounts() { print(count.task, count.status, count.count) }
/// }
/// ```
public protocol RunCounting: Sendable {
    /// How many runs the store holds per (task, status); pairs with no run are left out.
    func runCounts() async throws -> [RunCount]
}

/// How many runs of a task are in a status.
public struct RunCount: Sendable, Hashable {
    /// The task.
    public var task: String
    /// The status.
    public var status: RunStatus
    /// How many runs.
    public var count: Int

    /// Creates a count.
    public init(task: String, status: RunStatus, count: Int) {
        self.task = task
        self.status = status
        self.count = count
    }
}
