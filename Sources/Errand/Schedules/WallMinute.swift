/// One minute of local wall-clock time: a civil date plus hour and minute, no time zone.
///
/// Local minute numbers count minutes since 1970-01-01 00:00 of the same wall clock, so they can
/// be compared and stepped with integer arithmetic.
struct WallMinute: Hashable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The wall minute of a local minute number.
    init(localMinutes: Int) {
        let days = CivilDate.floorDiv(localMinutes, 1440)
        let minuteOfDay = localMinutes - days * 1440
        let date = CivilDate(days: days)
        self.init(year: date.year, month: date.month, day: date.day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// The local minute number (minutes since 1970-01-01 00:00 on this wall clock).
    var localMinutes: Int {
        CivilDate(year: year, month: month, day: day).days * 1440 + hour * 60 + minute
    }
}
