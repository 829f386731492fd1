/// Whether a schedule's expression is a cron or a rate expression.
public enum ScheduleKind: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// A cron expression (AWS six-field or Unix five-field), in the schedule's time zone.
    case cron
    /// A rate expression (`rate(5 minutes)`, `5 minutes`), anchored at the schedule's anchor.
    case rate

    /// `cron` or `rate`.
    public var description: String { rawValue }
}
