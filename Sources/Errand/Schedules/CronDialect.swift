/// Which cron syntax an expression is written in, told apart by its number of fields.
enum CronDialect: Sendable, Hashable {
    /// AWS EventBridge (and Ampt, 8base): six fields, `minutes hours day-of-month month
    /// day-of-week year`, with `?`, `L`, `W` and `#`; day-of-week 1-7 = SUN-SAT.
    case aws
    /// Classic Unix (Vixie) cron: five fields, `minute hour day-of-month month day-of-week`;
    /// day-of-week 0-7 where 0 and 7 are Sunday.
    case unix
}
