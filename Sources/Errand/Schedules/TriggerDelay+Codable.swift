import Foundation

extension TriggerDelay: Codable {
    /// Decodes a JSON number (milliseconds: a delay below ``epochThreshold``, else an epoch
    /// timestamp) or a string (see ``parse(_:)``).
    ///
    /// - Throws: ``ErrandError`` (field `after`) for a value of another type or a bad value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = try Self.number(value)
        } else if let text = try? container.decode(String.self) {
            self = try Self.parse(text)
        } else {
            throw Self.error(
                "(not a number or string)",
                "must be a JSON number of milliseconds or a string like \"1 hour\" or \"2022-01-14T17:46:05.811Z\""
            )
        }
    }

    /// Encodes a delay as a number of milliseconds and the other forms as strings
    /// (`"2022-01-14T17:46:05.811Z"`, `"3 days"`), which decode back to the same value (dates to the
    /// millisecond).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .milliseconds(let value): try container.encode(value)
        case .date, .duration: try container.encode(description)
        }
    }
}
