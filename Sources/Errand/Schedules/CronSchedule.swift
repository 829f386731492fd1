/// The compiled form of a cron expression: one bit set per field and the day masks of every
/// possible month shape, searched field by field in local wall-clock time.
///
/// The search never steps minute by minute: it picks the first allowed year, then month, then day
/// (from a precomputed mask), then hour, then minute, and only carries into the next larger unit
/// when a field has nothing left. Everything is integer arithmetic.
struct CronSchedule: Hashable, Sendable {
    /// Allowed minutes, bits 0…59.
    let minutes: UInt64
    /// Allowed hours, bits 0…23.
    let hours: UInt64
    /// Allowed months, bits 1…12, without months in which no day can ever fire.
    let months: UInt64
    /// Allowed years.
    let years: CronYearSet
    /// The day rule the masks were built from.
    let days: CronDayRule
    /// Firing days (bits 1…31) by month shape: index `firstWeekday * 4 + length - 28`.
    private let dayMasks: [UInt32]

    init(minutes: UInt64, hours: UInt64, months: UInt64, years: CronYearSet, days: CronDayRule) {
        var masks = [UInt32](repeating: 0, count: 28)
        for firstWeekday in 0..<7 {
            for length in 28...31 {
                masks[firstWeekday * 4 + length - 28] = days.mask(firstWeekday: firstWeekday, length: length)
            }
        }
        var possibleMonths: UInt64 = 0
        for month in 1...12 where CronBits.contains(months, month) {
            let lengths = month == 2 ? [28, 29] : [CivilDate.daysInMonth(year: 2001, month: month)]
            let canFire = lengths.contains { length in
                (0..<7).contains { masks[$0 * 4 + length - 28] != 0 }
            }
            if canFire { possibleMonths |= 1 << UInt64(month) }
        }
        self.minutes = minutes
        self.hours = hours
        self.months = possibleMonths
        self.years = years
        self.days = days
        self.dayMasks = masks
    }

    /// Whether no minute can ever match (for example `0 0 30 2 ? *`).
    var neverFires: Bool {
        minutes == 0 || hours == 0 || months == 0 || years.isEmpty
    }

    /// The firing days (bits 1…31) of a month.
    @inline(__always)
    func dayMask(year: Int, month: Int) -> UInt64 {
        let length = CivilDate.daysInMonth(year: year, month: month)
        let firstWeekday = CivilDate.weekday(days: CivilDate(year: year, month: month, day: 1).days)
        return UInt64(dayMasks[firstWeekday * 4 + length - 28])
    }

    /// Whether the wall minute matches every field.
    func matches(_ time: WallMinute) -> Bool {
        years.contains(time.year)
            && CronBits.contains(months, time.month)
            && CronBits.contains(dayMask(year: time.year, month: time.month), time.day)
            && CronBits.contains(hours, time.hour)
            && CronBits.contains(minutes, time.minute)
    }

    /// The first matching wall minute at or after `start`, or nil when none is left before 2200.
    func firstMatch(atOrAfter start: WallMinute) -> WallMinute? {
        guard !neverFires else { return nil }
        var year = start.year, month = start.month, day = start.day, hour = start.hour, minute = start.minute
        while true {
            guard let nextYear = years.first(atOrAfter: year) else { return nil }
            if nextYear != year {
                year = nextYear; month = 1; day = 1; hour = 0; minute = 0
            }
            guard let nextMonth = CronBits.first(in: months, atOrAfter: month) else {
                year += 1; month = 1; day = 1; hour = 0; minute = 0
                continue
            }
            if nextMonth != month {
                month = nextMonth; day = 1; hour = 0; minute = 0
            }
            guard let nextDay = CronBits.first(in: dayMask(year: year, month: month), atOrAfter: day) else {
                month += 1; day = 1; hour = 0; minute = 0
                continue
            }
            if nextDay != day {
                day = nextDay; hour = 0; minute = 0
            }
            guard let nextHour = CronBits.first(in: hours, atOrAfter: hour) else {
                day += 1; hour = 0; minute = 0
                continue
            }
            if nextHour != hour {
                hour = nextHour; minute = 0
            }
            guard let nextMinute = CronBits.first(in: minutes, atOrAfter: minute) else {
                hour += 1; minute = 0
                continue
            }
            return WallMinute(year: year, month: month, day: day, hour: hour, minute: nextMinute)
        }
    }
}
