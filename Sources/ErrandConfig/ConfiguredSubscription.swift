import Errand

/// One entry of a task's `on:`: the events that trigger the task (see ``EventPattern`` for the
/// pattern rules), an optional filter on their payload and an optional delay.
///
/// ```yaml
/// on:
///   - "user.created"
///   - { event: "created:user:*", filter: { "user.plan": pro }, delay: 1h }
/// ```
public struct ConfiguredSubscription: Sendable, Hashable {
    /// The event name pattern, checked with ``EventPattern``.
    public var pattern: String
    /// Conditions on the event's payload (``EventFilter``); empty for every event.
    public var filter: EventFilter
    /// How long after the event the run is due; `nil` for at once.
    public var delay: Duration?

    /// Creates a subscription.
    public init(pattern: String, filter: EventFilter = EventFilter(), delay: Duration? = nil) {
        self.pattern = pattern
        self.filter = filter
        self.delay = delay
    }
}
