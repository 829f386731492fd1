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
        RunID(SortableID.make(prefix: "run_", at: date))
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

/// Generates time-ordered identifiers: a prefix, then 26 characters of Crockford base 32, 10 for
/// the milliseconds since 1970 (48 bits) and 16 random (80 bits).
enum SortableID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// `prefix` followed by the 26 characters for `date`, written into one string (an id is made
    /// for every run triggered).
    static func make(prefix: String, at date: Date) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var random = SystemRandomNumberGenerator()
        var high = random.next() as UInt64  // 12 characters (60 bits)
        var low = random.next() as UInt64  // 4 characters (20 bits)
        return String(unsafeUninitializedCapacity: prefix.utf8.count + 26) { buffer in
            var index = 0
            for byte in prefix.utf8 {
                buffer[index] = byte
                index += 1
            }
            for shift in stride(from: 45, through: 0, by: -5) {
                buffer[index] = alphabet[Int((millis >> UInt64(shift)) & 31)]
                index += 1
            }
            for position in 0..<16 {
                if position < 12 {
                    buffer[index] = alphabet[Int(high & 31)]
                    high >>= 5
                } else {
                    buffer[index] = alphabet[Int(low & 31)]
                    low >>= 5
                }
                index += 1
            }
            return index
        }
    }
}
