import Foundation

/// A rate expression: a schedule that fires every N minutes, hours or days.
///
/// Two forms are accepted:
/// - AWS / 8base: `rate(5 minutes)`, `rate(1 hour)`, `rate(7 days)`. As in AWS, the unit is
///   singular when N is 1 and plural otherwise: `rate(1 minutes)` and `rate(5 minute)` are errors.
/// - Ampt's bare form: `5 minutes`, `1 hour`; singular and plural are both accepted.
///
/// N is a positive whole number; units are minute(s), hour(s) and day(s). Nothing faster than once
/// a minute is allowed, so seconds are an error. Occurrences are `anchor + k·interval` for
/// k = 0, 1, 2, … where the anchor is usually the moment the schedule was created.
///
/// ```swift
/// let every5 = try RateExpression("rate(5 minutes)")
/// every5.seconds                                   // 300
/// every5.next(after: .now, anchor: createdAt)      // the next occurrence on createdAt's grid
/// ```
public struct RateExpression: Sendable, Hashable, CustomStringConvertible {
    /// The unit of a rate.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case minute, hour, day

        /// The length of one unit in seconds.
        public var seconds: Int {
            switch self {
            case .minute: 60
            case .hour: 3_600
            case .day: 86_400
            }
        }
    }

    /// The expression as written (surrounding whitespace removed).
    public let text: String
    /// How many units lie between occurrences (at least 1).
    public let value: Int
    /// The unit of ``value``.
    public let unit: Unit

    /// Parses `rate(N unit)` or the bare `N unit`.
    ///
    /// - Throws: ``ErrandError`` (`invalid_argument`, field `rate`) naming the offending part and
    ///   what is allowed.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var body = trimmed
        let wrapped = trimmed.lowercased().hasPrefix("rate(")
        if wrapped {
            guard trimmed.hasSuffix(")") else {
                throw Self.error(trimmed, "opens \"rate(\" but does not end with \")\"")
            }
            body = String(trimmed.dropFirst(5).dropLast())
        }
        let parts = body.split(whereSeparator: \.isWhitespace).map(String.init)
        guard parts.count == 2 else {
            throw Self.error(trimmed, "expected a number and a unit, like \"rate(5 minutes)\" or \"5 minutes\"")
        }
        guard parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(parts[0]), value >= 1 else {
            throw Self.error(trimmed, "value \(ErrandError.quote(parts[0])) is not a positive whole number")
        }
        let word = parts[1].lowercased()
        let plural = word.hasSuffix("s")
        let singular = plural ? String(word.dropLast()) : word
        guard let unit = Unit(rawValue: singular) else {
            let fasterUnits: Set = ["second", "sec", "s", "millisecond", "ms"]
            let faster = fasterUnits.contains(word) || fasterUnits.contains(singular)
            let why = faster ? "; nothing faster than once a minute is supported" : ""
            throw Self.error(trimmed, "unit \(ErrandError.quote(parts[1])) is not allowed\(why); use minute(s), hour(s) or day(s)")
        }
        if wrapped, plural != (value != 1) {
            let expected = value == 1 ? unit.rawValue : unit.rawValue + "s"
            throw Self.error(
                trimmed,
                "unit \(ErrandError.quote(parts[1])) must be \"\(expected)\": in rate(...) the unit is singular for 1 and plural otherwise, as in rate(1 \(unit.rawValue)) and rate(5 \(unit.rawValue)s)"
            )
        }
        guard value <= Int.max / unit.seconds / 1_000 else {
            throw Self.error(trimmed, "value \(value) is too large")
        }
        self.text = trimmed
        self.value = value
        self.unit = unit
    }

    /// The time between occurrences in seconds.
    public var seconds: Int { value * unit.seconds }

    /// The time between occurrences.
    public var interval: Duration { .seconds(seconds) }

    /// The text of the expression.
    public var description: String { text }

    /// The first occurrence strictly after `date`, where occurrences are `anchor + k·interval` for
    /// k ≥ 0 (so a `date` before the anchor gives the anchor itself).
    public func next(after date: Date, anchor: Date) -> Date {
        let step = TimeInterval(seconds)
        let elapsed = date.timeIntervalSince(anchor)
        guard elapsed >= 0 else { return anchor }
        var k = (elapsed / step).rounded(.down) + 1
        // Guard against floating-point rounding near exact multiples.
        if anchor.addingTimeInterval((k - 1) * step) > date { k -= 1 }
        if anchor.addingTimeInterval(k * step) <= date { k += 1 }
        return anchor.addingTimeInterval(k * step)
    }

    /// The next `count` occurrences strictly after `date` (see ``next(after:anchor:)``).
    public func nextDates(after date: Date, count: Int, anchor: Date) -> [Date] {
        guard count > 0 else { return [] }
        let first = next(after: date, anchor: anchor)
        return (0..<count).map { first.addingTimeInterval(TimeInterval($0) * TimeInterval(seconds)) }
    }

    private static func error(_ text: String, _ problem: String) -> ErrandError {
        ErrandError(code: .invalidArgument, message: "invalid rate expression \(ErrandError.quote(text)): \(problem)", field: "rate")
    }
}
