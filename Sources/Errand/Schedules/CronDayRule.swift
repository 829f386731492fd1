/// How the day-of-month and day-of-week fields together pick the days of a month.
///
/// AWS: exactly one field is `?` and the other decides. Unix (Vixie cron): when either field
/// starts with `*` a day must match both; when both are restricted a day matching either fires.
struct CronDayRule: Hashable, Sendable {
    var dayOfMonth: CronDayOfMonth
    var dayOfWeek: CronDayOfWeek

    /// Whether `day` fires in a month of `length` days whose first day falls on `firstWeekday`.
    func matches(day: Int, firstWeekday: Int, length: Int) -> Bool {
        if dayOfMonth.isUnspecified {
            return dayOfWeek.matches(day: day, firstWeekday: firstWeekday, length: length)
        }
        if dayOfWeek.isUnspecified {
            return dayOfMonth.matches(day: day, firstWeekday: firstWeekday, length: length)
        }
        let byMonth = dayOfMonth.matches(day: day, firstWeekday: firstWeekday, length: length)
        let byWeek = dayOfWeek.matches(day: day, firstWeekday: firstWeekday, length: length)
        return dayOfMonth.isStar || dayOfWeek.isStar ? byMonth && byWeek : byMonth || byWeek
    }

    /// The days that fire (bits 1…31) in a month of `length` days starting on `firstWeekday`.
    func mask(firstWeekday: Int, length: Int) -> UInt32 {
        var mask: UInt32 = 0
        for day in 1...length where matches(day: day, firstWeekday: firstWeekday, length: length) {
            mask |= 1 << UInt32(day)
        }
        return mask
    }
}
