import Foundation

/// A published event as the CLI and the HTTP API print it.
public struct EventView: Codable, Sendable {
    /// The event's id.
    public var id: String
    /// Its name.
    public var name: String
    /// Its payload, as JSON.
    public var payload: JSONValue
    /// When it was published (ISO-8601 UTC).
    public var publishedAt: String
    /// Who published it (`kind` or `kind:reference`).
    public var origin: String
    /// The runs it caused.
    public var runIDs: [String]

    /// The view of an event.
    public init(_ event: EventRecord) {
        id = event.id
        name = event.name
        payload = JSONValue(json: event.payload)
        publishedAt = ISO8601Timestamp.string(from: event.publishedAt, fractionalSeconds: true)
        origin = event.origin.description
        runIDs = event.runIDs.map(\.rawValue)
    }
}
