import Foundation

/// Options for one trigger of a task.
///
/// ```swift
/// let id = try await errand.trigger(welcome, Welcome(email: email), options: .init(after: .duration(1, .hour), tags: ["signup"]))
/// ```
public struct TriggerOptions: Sendable {
    /// When the run starts: `nil` = now. See ``TriggerDelay`` for the accepted forms (a delay or an
    /// epoch in milliseconds, an ISO-8601 string, a `Date`, `"N unit"`), at most one year ahead.
    public var after: TriggerDelay?
    /// Overrides the task's priority (higher first).
    public var priority: Int?
    /// Up to 10 tags, each 1…128 characters.
    public var tags: [String]
    /// A key that makes triggering idempotent per task: while it lives, triggering again with the
    /// same key returns the first run's id instead of creating a run.
    public var idempotencyKey: String?
    /// How long the idempotency key lives. Default 24 hours.
    public var idempotencyKeyTTL: Duration
    /// A run not started within this time expires. Overrides the task's `ttl`.
    public var ttl: Duration?
    /// Applies the queue's concurrency limit per key (per tenant, per user, …).
    public var concurrencyKey: String?
    /// Overrides the task's queue.
    public var queue: String?
    /// Who triggers the run (default ``RunOrigin/app``); surfaces set it, see ``RunOrigin``.
    public var origin: RunOrigin?

    /// Creates trigger options.
    public init(
        after: TriggerDelay? = nil, priority: Int? = nil, tags: [String] = [], idempotencyKey: String? = nil,
        idempotencyKeyTTL: Duration = .seconds(24 * 3600), ttl: Duration? = nil, concurrencyKey: String? = nil,
        queue: String? = nil, origin: RunOrigin? = nil
    ) {
        self.after = after
        self.priority = priority
        self.tags = tags
        self.idempotencyKey = idempotencyKey
        self.idempotencyKeyTTL = idempotencyKeyTTL
        self.ttl = ttl
        self.concurrencyKey = concurrencyKey
        self.queue = queue
        self.origin = origin
    }

    /// The most tags a run may carry.
    public static let maximumTags = 10
    /// The longest tag.
    public static let maximumTagLength = 128

    /// Checks a list of tags.
    public static func validateTags(_ tags: [String]) throws {
        guard tags.count <= maximumTags else {
            throw ErrandError.invalidArgument(
                field: "tags", value: tags.joined(separator: ","),
                allowed: "\(tags.count) tags given; at most \(maximumTags) are allowed"
            )
        }
        for tag in tags {
            if tag.isEmpty || tag.count > maximumTagLength {
                throw ErrandError.invalidArgument(field: "tags", value: tag, allowed: "each tag must be 1…\(maximumTagLength) characters")
            }
            try IdentifierText.check(tag, field: "tags")
        }
    }

    /// Checks the options that can be checked without a clock.
    public func validate() throws {
        try Self.validateTags(tags)
        if let key = idempotencyKey, key.isEmpty || key.count > 256 {
            throw ErrandError.invalidArgument(field: "idempotencyKey", value: key, allowed: "must be 1…256 characters")
        }
        if let key = idempotencyKey { try IdentifierText.check(key, field: "idempotencyKey") }
        guard idempotencyKeyTTL > .zero else {
            throw ErrandError.invalidArgument(field: "idempotencyKeyTTL", value: "\(idempotencyKeyTTL)", allowed: "must be positive")
        }
        if let ttl, ttl <= .zero {
            throw ErrandError.invalidArgument(field: "ttl", value: "\(ttl)", allowed: "must be positive")
        }
        if let key = concurrencyKey, key.isEmpty || key.count > 256 {
            throw ErrandError.invalidArgument(field: "concurrencyKey", value: key, allowed: "must be 1…256 characters")
        }
        if let key = concurrencyKey { try IdentifierText.check(key, field: "concurrencyKey") }
        if let queue { try TaskName.validate(queue, field: "queue") }
    }
}
