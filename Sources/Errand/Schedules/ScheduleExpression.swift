import Foundation

/// A schedule's timing: a cron expression or a rate expression.
///
/// ``init(_:timeZone:)`` tells them apart: text starting with `rate(` or shaped like `N unit`
/// (`5 minutes`, Ampt's bare form) is a rate; anything else is parsed as cron.
///
/// ```swift
/// let hourly = try ScheduleExpression("1 hour")
/// let weekdays = try ScheduleExpression("cron(0 18 ? * MON-FRI *)", timeZone: .gmt)
/// weekdays.nextDates(after: .now, count: 3, anchor: .now)
/// ```
public enum ScheduleExpression: Sendable, Hashable, CustomStringConvertible {
    /// Fires at the minutes a cron expression names.
    case cron(CronExpression)
    /// Fires every fixed interval from an anchor.
    case rate(RateExpression)

    /// Parses a rate (`rate(5 minutes)`, `5 minutes`) or a cron expression (six-field AWS, with or
    /// without `cron(…)`, or five-field Unix). The time zone applies to cron only.
    ///
    /// - Throws: ``ErrandError`` (`invalid_argument`, field `rate` or `cron`).
    public init(_ text: String, timeZone: TimeZone = .gmt) throws {
        if Self.looksLikeRate(text) {
            self = .rate(try RateExpression(text))
        } else {
            self = .cron(try CronExpression(text, timeZone: timeZone))
        }
    }

    /// The expression as written.
    public var text: String {
        switch self {
        case .cron(let cron): cron.text
        case .rate(let rate): rate.text
        }
    }

    /// The text of the expression.
    public var description: String { text }

    /// The first firing strictly after `date`, or nil when a cron expression never fires again.
    /// `anchor` is the start of a rate's grid (usually when the schedule was created); cron
    /// ignores it.
    public func next(after date: Date, anchor: Date) -> Date? {
        switch self {
        case .cron(let cron): cron.next(after: date)
        case .rate(let rate): rate.next(after: date, anchor: anchor)
        }
    }

    /// The next `count` firings strictly after `date` (see ``next(after:anchor:)``).
    public func nextDates(after date: Date, count: Int, anchor: Date) -> [Date] {
        switch self {
        case .cron(let cron): cron.nextDates(after: date, count: count)
        case .rate(let rate): rate.nextDates(after: date, count: count, anchor: anchor)
        }
    }

    /// `rate(…)`, or exactly two words of which the first is all digits and the second letters.
    static func looksLikeRate(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.lowercased().hasPrefix("rate(") { return true }
        let words = trimmed.split(whereSeparator: \.isWhitespace)
        return words.count == 2
            && words[0].allSatisfy { $0.isASCII && $0.isNumber }
            && words[1].allSatisfy(\.isLetter)
    }
}
