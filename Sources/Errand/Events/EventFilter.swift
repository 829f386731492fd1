/// A filter on a published event's payload: every entry must hold for a subscription to fire.
///
/// Keys are paths into the payload object, segments separated by `.` (`user.plan`). A value
/// matches when the payload's value at the path equals it; an array value matches when the
/// payload's value equals any of its elements (`{"user.plan": ["pro", "team"]}`). A missing path
/// never matches.
public struct EventFilter: Codable, Sendable, Hashable {
    /// Path → expected value (or values).
    public var conditions: [String: JSONValue]

    /// A filter.
    public init(_ conditions: [String: JSONValue] = [:]) {
        self.conditions = conditions
    }

    /// Whether the payload passes the filter.
    public func matches(_ payload: JSONValue) -> Bool {
        conditions.allSatisfy { path, expected in
            guard let actual = Self.value(at: path, in: payload) else { return false }
            if case .array(let options) = expected { return options.contains(actual) || actual == expected }
            return actual == expected
        }
    }

    static func value(at path: String, in payload: JSONValue) -> JSONValue? {
        var current = payload
        for key in path.split(separator: ".") {
            guard case .object(let object) = current, let next = object[String(key)] else { return nil }
            current = next
        }
        return current
    }

    public init(from decoder: any Decoder) throws {
        conditions = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(conditions)
    }
}
