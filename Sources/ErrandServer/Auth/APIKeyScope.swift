/// What an API key may do: `read` (GET routes and streams) or `write` (everything).
public enum APIKeyScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reads only.
    case read
    /// Reads and changes (triggers, cancels, replays, schedules, queues).
    case write

    /// Whether the scope allows changes.
    public var allowsWrites: Bool { self == .write }
}
