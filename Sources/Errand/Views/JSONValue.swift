import Foundation

/// Any JSON value, so payloads and results can be embedded in the CLI's JSON output as JSON rather
/// than as base64 data.
public enum JSONValue: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    /// A number that neither ``integer(_:)`` nor ``number(_:)`` holds as written: an integer
    /// beyond `Int64`, or more significant digits than a `Double` keeps. It is kept as a
    /// `Decimal` (38 significant digits), so `12345678901234567890` reads back as written, not
    /// as `12345678901234567000`.
    case decimal(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The value JSON `data` holds; a string of the raw text when it is not valid JSON.
    public init(json data: Data) {
        if let value = try? JSONDecoder().decode(JSONValue.self, from: data) {
            self = value
        } else {
            self = .string(String(decoding: data, as: UTF8.self))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            // The decoder reads a number through a `Double`: `1.000000000000000000001` reads as
            // the integer 1. Where the `Decimal` of the same text differs, it is the one kept.
            self = Self.exactly(.integer(value), Decimal(value), container)
        } else if let value = try? container.decode(Double.self) {
            self = Self.exactly(.number(value), Decimal(string: "\(value)"), container)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// `value`, or the number as a `Decimal` when `value` (whose exact value is `exact`) does not
    /// hold the number as written.
    private static func exactly(_ value: JSONValue, _ exact: Decimal?, _ container: any SingleValueDecodingContainer) -> JSONValue {
        guard let written = try? container.decode(Decimal.self), written != exact else { return value }
        return .decimal(written)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .decimal(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
