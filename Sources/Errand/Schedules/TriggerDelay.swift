import Foundation

/// When a triggered run should start: Ampt's `after` parameter.
///
/// Every Ampt form is accepted:
/// - a delay in milliseconds (`1500`, `.milliseconds(1500)`);
/// - a Unix epoch timestamp in milliseconds, like JavaScript's `Date.getTime()`;
/// - an ISO-8601 date-time in UTC, `"2022-01-14T17:46:05.811Z"` (fractional seconds optional; an
///   explicit offset like `+02:00` is accepted too), or a `Date` (`.date(…)`);
/// - `"N unit"` with units second(s), minute(s), hour(s), day(s), week(s), month(s), year(s),
///   singular or plural alike (`"1 day"` = `"1 days"`); N is a whole number, 0 meaning now.
///   Months and years are calendar arithmetic in UTC (31 January + 1 month = 28 or 29 February).
///
/// **Telling a delay from a timestamp.** A number below 100,000,000,000 (1e11 ms, about 3.17
/// years; as a timestamp that is 1973-03-03) is a delay; a number at or above it is an epoch
/// timestamp. This applies to JSON numbers, to digit strings and to ``number(_:)``;
/// ``milliseconds(_:)`` is always a delay.
///
/// **Limits.** The resolved time must be at most one year (a calendar year, in UTC) after now; a
/// negative delay is an error; a timestamp or date in the past means now (the run is due at
/// once).
///
/// Decoding (`Codable`) accepts a JSON number or string, with the rules above.
///
/// ```swift
/// try TriggerDelay.parse("1 hour").resolve(now: now)                     // now + 3600 s
/// try TriggerDelay.parse("2022-01-14T17:46:05.811Z").resolve(now: now)   // that instant, or now
/// try TriggerDelay.number(1500).resolve(now: now)                        // now + 1.5 s
/// ```
public enum TriggerDelay: Sendable, Hashable, CustomStringConvertible {
    /// Start this many milliseconds after now (not negative).
    case milliseconds(Double)
    /// Start at this instant (now if it has passed).
    case date(Date)
    /// Start this many units after now (not negative); months and years by the UTC calendar.
    case duration(Int, Unit)

    /// A unit of ``duration(_:_:)``.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case second, minute, hour, day, week, month, year

        /// The fixed length in seconds, or nil for month and year (calendar arithmetic).
        public var fixedSeconds: Int? {
            switch self {
            case .second: 1
            case .minute: 60
            case .hour: 3_600
            case .day: 86_400
            case .week: 604_800
            case .month, .year: nil
            }
        }
    }

    /// Start now.
    public static let immediately = TriggerDelay.milliseconds(0)

    /// Numbers below this many milliseconds are delays; numbers at or above it are epoch
    /// timestamps (1e11 ms ≈ 3.17 years; as a timestamp, 1973-03-03T09:46:40Z).
    public static let epochThreshold: Double = 100_000_000_000

    /// The field name errors carry.
    static let field = "after"

    /// A number of milliseconds: a delay below ``epochThreshold``, an epoch timestamp at or above.
    ///
    /// - Throws: ``ErrandError`` (field `after`) for a negative or non-finite number.
    public static func number(_ value: Double) throws -> TriggerDelay {
        guard value.isFinite else {
            throw error(String(value), "is not a finite number of milliseconds")
        }
        guard value >= 0 else {
            throw error(format(value), "is a negative delay; a delay is 0 or more milliseconds")
        }
        if value < epochThreshold { return .milliseconds(value) }
        return .date(Date(timeIntervalSince1970: value / 1000))
    }

    /// The instant the run should start, given the current time.
    ///
    /// - Throws: ``ErrandError`` (field `after`) for a negative delay or a time more than one
    ///   year after `now`.
    public func resolve(now: Date) throws -> Date {
        let target: Date
        switch self {
        case .milliseconds(let value):
            guard value.isFinite, value >= 0 else {
                throw Self.error(description, "is a negative or non-finite delay; a delay is 0 or more milliseconds")
            }
            target = now.addingTimeInterval(value / 1000)
        case .date(let date):
            target = max(date, now)
        case .duration(let count, let unit):
            guard count >= 0 else {
                throw Self.error(description, "is a negative delay; the number must be 0 or more")
            }
            if let seconds = unit.fixedSeconds {
                target = now.addingTimeInterval(Double(count) * Double(seconds))
            } else {
                let months = count.multipliedReportingOverflow(by: unit == .year ? 12 : 1)
                target = Self.adding(months: months.overflow ? 100_000 : min(months.partialValue, 100_000), to: now)
            }
        }
        let limit = Self.adding(months: 12, to: now)
        guard target <= limit else {
            throw Self.error(
                description,
                "resolves to \(ISO8601Timestamp.string(from: target, fractionalSeconds: true)), more than one year after now; the latest allowed is \(ISO8601Timestamp.string(from: limit, fractionalSeconds: true))"
            )
        }
        return target
    }

    /// The delay as it would be written: milliseconds, an ISO-8601 timestamp or `N units`.
    public var description: String {
        switch self {
        case .milliseconds(let value): Self.format(value)
        case .date(let date): ISO8601Timestamp.string(from: date, fractionalSeconds: true)
        case .duration(let count, let unit): "\(count) \(unit.rawValue)\(count == 1 ? "" : "s")"
        }
    }

    /// `date` plus whole calendar months in UTC, keeping the time of day; the day of the month is
    /// clamped to the target month's length.
    static func adding(months: Int, to date: Date) -> Date {
        let time = date.timeIntervalSince1970
        let days = (time / 86_400).rounded(.down)
        let secondsOfDay = time - days * 86_400
        let civil = CivilDate(days: Int(days))
        let monthIndex = civil.year * 12 + civil.month - 1 + months
        let year = CivilDate.floorDiv(monthIndex, 12)
        let month = monthIndex - year * 12 + 1
        let day = min(civil.day, CivilDate.daysInMonth(year: year, month: month))
        let newDays = CivilDate(year: year, month: month, day: day).days
        return Date(timeIntervalSince1970: TimeInterval(newDays) * 86_400 + secondsOfDay)
    }

    static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    static func error(_ value: String, _ problem: String) -> ErrandError {
        ErrandError(code: .invalidArgument, message: "invalid after \(ErrandError.quote(value)): \(problem)", field: field)
    }
}
