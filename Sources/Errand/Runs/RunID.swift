import Foundation

/// The identifier of a run.
///
/// Run ids are opaque strings such as `run_01JD7X0R4Q8ZP9W3K6M2B5T1YC`. New ids sort by creation
/// time (a millisecond timestamp followed by random bits, in Crockford base 32), which keeps
/// inserts local in the store's indexes.
public struct RunID: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral, Comparable {
    /// The id as text.
    public let rawValue: String

    /// Wraps an existing id.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps an existing id given as a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Makes a new, unique, time-ordered id.
    public static func generate(at date: Date = Date()) -> RunID {
        RunID("run_" + SortableID.make(at: date))
    }

    public var description: String { rawValue }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Generates 26-character, time-ordered identifiers (48 bits of milliseconds, 80 random bits).
enum SortableID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func make(at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var chars = [Character](repeating: "0", count: 26)
        var time = millis
        for index in stride(from: 9, through: 0, by: -1) {
            chars[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        var random = SystemRandomNumberGenerator()
        var high = random.next() as UInt64
        var low = random.next() as UInt64
        for index in 10..<26 {
            let value: UInt64
            if index < 22 {
                value = high & 31
                high >>= 5
            } else {
                value = low & 31
                low >>= 5
            }
            chars[index] = alphabet[Int(value)]
        }
        return String(chars)
    }
}
