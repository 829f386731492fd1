import Foundation

/// A cron expression: the minutes at which a schedule fires, in a time zone (UTC by default).
///
/// ## Two syntaxes, told apart by the number of fields
/// - **Six fields: AWS EventBridge** (also Ampt and 8base), optionally wrapped as `cron(…)`:
///   `minutes hours day-of-month month day-of-week year`.
///
///   | field        | values            | syntax                  |
///   |--------------|-------------------|-------------------------|
///   | minutes      | 0-59              | `, - * /`               |
///   | hours        | 0-23              | `, - * /`               |
///   | day-of-month | 1-31              | `, - * ? / L L-n LW nW` |
///   | month        | 1-12 or JAN-DEC   | `, - * /`               |
///   | day-of-week  | 1-7 or SUN-SAT    | `, - * ? / L nL n#k`    |
///   | year         | 1970-2199         | `, - * /`               |
///
///   Exactly one of day-of-month and day-of-week must be `?`. `a/s` runs from `a` to the field's
///   maximum in steps of `s` (`1/10` = 1, 11, 21, …); `a-b/s` and `*/s` work as usual. Ranges run
///   upwards (`MON-FRI`; a wrapping range like `FRI-MON` is an error: write `FRI-SAT,SUN-MON`).
///   Day-of-month: `L` is the last day, `L-3` three days before it, `LW` the last weekday
///   (Monday-Friday), `15W` the weekday nearest the 15th without leaving the month (`1W` on a
///   Saturday is Monday the 3rd; `31W` on a Sunday is Friday the 29th). Day-of-week: 1 is Sunday
///   and 7 Saturday; `L` alone means 7 (Saturday, the last day of the week, as in AWS and Quartz);
///   `6L` is the last Friday of the month; `3#2` the second Tuesday (`5#5` fires only in months
///   with a fifth Thursday).
/// - **Five fields: classic Unix cron**, `minute hour day-of-month month day-of-week`, every year.
///   No `?`, `L`, `W` or `#`; day-of-week 0-7 where 0 and 7 are Sunday (names allowed); `*` in both
///   day fields is fine. As in Vixie cron, when both day fields are restricted (neither starts
///   with `*`) a day fires if it matches either of them.
///
/// Any other number of fields is an error, as is a `cron(…)` wrapper around anything but six.
/// Names are case-insensitive. Expressions that can never fire again (a past year, `0 0 30 2 ? *`)
/// are valid: ``next(after:)`` returns nil, quickly.
///
/// ## Time zones and daylight saving
/// Fields match the local wall-clock time of ``timeZone``. Around daylight-saving changes:
/// - **Skipped hour** (spring forward): a wall time that does not exist fires at the instant it
///   would have had before the change, that is shifted forward by the gap's length (`30 2 * * ? *`
///   in New York fires at 03:30 EDT on the day the clocks go from 02:00 to 03:00). A shifted
///   firing that lands on a time already due fires once.
/// - **Repeated hour** (fall back): a wall time that occurs twice fires once, at its first
///   occurrence.
///
/// ## Speed
/// ``next(after:)`` never steps minute by minute: each field is a bit set and the search jumps
/// year → month → day → hour → minute with integer date arithmetic (no `Calendar`); zones with a
/// fixed offset, UTC included, make no `TimeZone` calls at all.
///
/// ```swift
/// let weekdays = try CronExpression("0/5 8-17 ? * MON-FRI *")
/// let next = weekdays.next(after: .now)
/// let berlin = try CronExpression("cron(0 9 ? * 2#1 *)", timeZone: TimeZone(identifier: "Europe/Berlin")!)
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written (surrounding whitespace removed).
    public let text: String
    /// The time zone whose wall-clock time the fields match.
    public let timeZone: TimeZone

    let schedule: CronSchedule
    let dialect: CronDialect
    let offsets: ZoneOffsets

    /// Parses a six-field AWS or five-field Unix expression (see the type's documentation).
    ///
    /// - Throws: ``ErrandError`` (`invalid_argument`, field `cron`) naming the cron field, the
    ///   offending token and what that field allows.
    public init(_ text: String, timeZone: TimeZone = .gmt) throws {
        var parser = CronParser(text)
        self.schedule = try parser.parse()
        self.dialect = parser.dialect
        self.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        self.timeZone = timeZone
        self.offsets = ZoneOffsets(timeZone)
    }

    /// The text of the expression.
    public var description: String { text }

    /// Two expressions are equal when written the same way for the same time zone.
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.text == rhs.text && lhs.timeZone == rhs.timeZone
    }

    /// Hashes the text and the time zone, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(timeZone)
    }

    /// The first firing strictly after `date`, at a whole minute, or nil when the expression never
    /// fires again (the search ends with the year 2199).
    ///
    /// For `10:07:30` the earliest answer is `10:08:00`; for `10:08:00` it is `10:09:00`.
    public func next(after date: Date) -> Date? {
        let time = date.timeIntervalSince1970
        guard !time.isNaN, time < Self.searchEnd else { return nil }
        let after = Int(max(time, Self.searchStart).rounded(.down))
        switch offsets {
        case .fixed(let offset):
            let start = WallMinute(localMinutes: CivilDate.floorDiv(after + offset, 60) + 1)
            guard let match = schedule.firstMatch(atOrAfter: start) else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(match.localMinutes * 60 - offset))
        case .zone:
            return nextInZone(after: after, exactly: time)
        }
    }

    /// Search in a zone with daylight saving: walk matching wall minutes from just after `after`
    /// and take the first whose instant (see ``ZoneOffsets``) is later than `exactly`.
    private func nextInZone(after: Int, exactly time: TimeInterval) -> Date? {
        let offset = offsets.offset(at: after)
        let offsetDayBefore = offsets.offset(at: after - 86_400)
        var localStart = after + offset
        // Shortly after a spring-forward gap, wall times inside the gap (shifted forward) can
        // still be due: start the walk from the wall time with the offset before the gap.
        if offsetDayBefore < offset, offsets.offset(at: after - (offset - offsetDayBefore)) != offset {
            localStart = after + offsetDayBefore
        }
        var start = CivilDate.floorDiv(localStart, 60) + 1
        // Skipped candidates are the wall times of a repeated hour already fired (at most a few
        // hundred minutes); the bound only guards against a zone database surprise.
        for _ in 0..<2_000 {
            guard let match = schedule.firstMatch(atOrAfter: WallMinute(localMinutes: start)) else { return nil }
            let local = match.localMinutes
            let instant = offsets.instant(ofLocal: local * 60)
            if TimeInterval(instant) > time { return Date(timeIntervalSince1970: TimeInterval(instant)) }
            start = local + 1
        }
        return nil
    }

    /// The next `count` firings strictly after `date`, in order; fewer (possibly none) when the
    /// expression stops firing.
    public func nextDates(after date: Date, count: Int) -> [Date] {
        var dates: [Date] = []
        dates.reserveCapacity(max(0, min(count, 1024)))
        var cursor = date
        while dates.count < count, let next = next(after: cursor) {
            dates.append(next)
            cursor = next
        }
        return dates
    }

    /// Whether the local wall-clock minute containing `date` matches every field (seconds are
    /// ignored).
    ///
    /// This compares wall-clock fields only: a firing shifted out of a skipped daylight-saving
    /// hour does not match its shifted wall time, and both occurrences of a repeated hour match
    /// although ``next(after:)`` fires only at the first.
    public func matches(_ date: Date) -> Bool {
        let time = date.timeIntervalSince1970
        guard time.isFinite, time > -Self.searchEnd, time < Self.searchEnd else { return false }
        let instant = Int(time.rounded(.down))
        let local = instant + offsets.offset(at: instant)
        return schedule.matches(WallMinute(localMinutes: CivilDate.floorDiv(local, 60)))
    }

    /// Searches start no earlier than three days before 1970 (no local time can match earlier).
    private static let searchStart: TimeInterval = -3 * 86_400
    /// And end in the first days of 2200 (no year after 2199 can match).
    private static let searchEnd = TimeInterval(CivilDate(year: 2200, month: 1, day: 3).days * 86_400)
}
