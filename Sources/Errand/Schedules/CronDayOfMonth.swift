/// The parsed day-of-month field: plain days and AWS's `L`, `L-n`, `LW` and `nW` forms.
struct CronDayOfMonth: Hashable, Sendable {
    /// The field is `?` (AWS: the day is chosen by day-of-week).
    var isUnspecified = false
    /// The field starts with `*` (decides Vixie's either/both rule in Unix expressions).
    var isStar = false
    /// Plain days, bits 1…31.
    var days: UInt64 = 0
    /// `L` (bit 0) and `L-n` (bit n): the last day of the month minus n.
    var fromLastDay: UInt64 = 0
    /// `LW`: the last weekday (Monday-Friday) of the month.
    var lastWeekday = false
    /// `nW`: the weekday nearest day n, never leaving the month, bits 1…31.
    var nearestWeekdays: UInt64 = 0

    /// Whether `day` matches in a month of `length` days whose first day falls on `firstWeekday`
    /// (0 = Sunday).
    func matches(day: Int, firstWeekday: Int, length: Int) -> Bool {
        if CronBits.contains(days, day) { return true }
        if CronBits.contains(fromLastDay, length - day) { return true }
        if lastWeekday, day == Self.lastWeekday(firstWeekday: firstWeekday, length: length) { return true }
        var remaining = nearestWeekdays
        while remaining != 0 {
            let target = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            if day == Self.nearestWeekday(to: target, firstWeekday: firstWeekday, length: length) { return true }
        }
        return false
    }

    /// The weekday nearest `target` in the month, or nil when the month is shorter than `target`.
    /// A Saturday moves to Friday and a Sunday to Monday, except that the result never leaves the
    /// month: `1W` on a Saturday is Monday the 3rd and the last day on a Sunday is the Friday before.
    static func nearestWeekday(to target: Int, firstWeekday: Int, length: Int) -> Int? {
        guard target >= 1, target <= length else { return nil }
        switch (firstWeekday + target - 1) % 7 {
        case 6: return target == 1 ? 3 : target - 1
        case 0: return target == length ? target - 2 : target + 1
        default: return target
        }
    }

    /// The last Monday-Friday of the month.
    static func lastWeekday(firstWeekday: Int, length: Int) -> Int {
        switch (firstWeekday + length - 1) % 7 {
        case 6: length - 1
        case 0: length - 2
        default: length
        }
    }
}
