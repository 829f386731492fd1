/// The parsed day-of-week field: plain weekdays and AWS's `nL` and `n#k` forms.
///
/// Weekdays are stored 0 = Sunday … 6 = Saturday whatever the dialect's numbering.
struct CronDayOfWeek: Hashable, Sendable {
    /// The field is `?` (AWS: the day is chosen by day-of-month).
    var isUnspecified = false
    /// The field starts with `*` (decides Vixie's either/both rule in Unix expressions).
    var isStar = false
    /// Plain weekdays, bits 0…6.
    var weekdays: UInt64 = 0
    /// `nL`: the last such weekday of the month, bits 0…6.
    var lastWeekdays: UInt64 = 0
    /// `n#k`: the k-th such weekday of the month, bit `weekday * 5 + k - 1`.
    var nthWeekdays: UInt64 = 0

    /// Whether `day` matches in a month of `length` days whose first day falls on `firstWeekday`.
    func matches(day: Int, firstWeekday: Int, length: Int) -> Bool {
        let weekday = (firstWeekday + day - 1) % 7
        if CronBits.contains(weekdays, weekday) { return true }
        if CronBits.contains(lastWeekdays, weekday), day + 7 > length { return true }
        let occurrence = (day - 1) / 7 + 1
        return CronBits.contains(nthWeekdays, weekday * 5 + occurrence - 1)
    }
}
