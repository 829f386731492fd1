/// Where a task's runs wait, and how many of them may execute at once.
///
/// The limit holds across every worker sharing the store. Runs triggered with a concurrency key
/// get the limit per key, so one tenant cannot starve another:
///
/// ```swift
/// TaskOptions(queue: QueueOptions(name: "emails", concurrency: 2))
/// try await errand.trigger(sendEmail, payload, options: .init(concurrencyKey: user.tenantID))
/// ```
public struct QueueOptions: Sendable, Hashable, Codable {
    /// The queue's name; by default the task's name.
    public var name: String?
    /// At most this many runs executing at once (per concurrency key); `nil` = no limit.
    public var concurrency: Int?

    /// Creates queue options.
    public init(name: String? = nil, concurrency: Int? = nil) {
        self.name = name
        self.concurrency = concurrency
    }
}
