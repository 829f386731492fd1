import Foundation

/// A published event as the store keeps it, with the runs it caused.
public struct EventRecord: Codable, Sendable, Hashable {
    /// The event's id (the publisher's, for idempotency, or `evt_…`).
    public var id: String
    /// The event's name (`user.created`, `created:user:42`).
    public var name: String
    /// The JSON payload, given to every run it causes.
    public var payload: Data
    /// When it was published.
    public var publishedAt: Date
    /// Who published it.
    public var origin: RunOrigin
    /// The runs it caused, one per subscribing task.
    public var runIDs: [RunID]

    /// An event.
    public init(id: String, name: String, payload: Data, publishedAt: Date, origin: RunOrigin = .app, runIDs: [RunID] = []) {
        self.id = id
        self.name = name
        self.payload = payload
        self.publishedAt = publishedAt
        self.origin = origin
        self.runIDs = runIDs
    }

    /// A new event id: `evt_` and a sortable run-id-like suffix.
    public static func generateID() -> String { "evt_" + RunID.generate().rawValue }
}

/// What ``RunStore/publishEvent(_:runs:now:)`` did.
public struct PublishResult: Sendable, Hashable {
    /// The stored event, with its runs.
    public var event: EventRecord
    /// `false` when an event with the same id existed: nothing was stored.
    public var created: Bool

    /// A result.
    public init(event: EventRecord, created: Bool) {
        self.event = event
        self.created = created
    }
}

/// A filter and page of ``RunStore/listEvents(_:)``.
public struct EventQuery: Sendable, Hashable {
    /// Only events with this exact name.
    public var name: String?
    /// At most this many, newest first.
    public var limit: Int
    /// The `nextCursor` of the previous page.
    public var cursor: String?

    /// A query.
    public init(name: String? = nil, limit: Int = 50, cursor: String? = nil) {
        self.name = name
        self.limit = limit
        self.cursor = cursor
    }
}

/// A page of events, newest first.
public struct EventPage: Sendable, Hashable {
    /// The events.
    public var events: [EventRecord]
    /// The cursor of the next page, `nil` on the last.
    public var nextCursor: String?

    /// A page.
    public init(events: [EventRecord], nextCursor: String?) {
        self.events = events
        self.nextCursor = nextCursor
    }
}
