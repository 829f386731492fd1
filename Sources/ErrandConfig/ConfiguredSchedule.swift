import Errand

/// The schedule of a task declared in a project file (`schedule:` and `payload:`).
public struct ConfiguredSchedule: Sendable, Hashable {
    /// A rate (`rate(1 minute)`, `5 minutes`) or cron (`cron(0 2 * * ? *)`, six-field AWS or
    /// five-field Unix) expression, as ``ScheduleExpression`` parses it.
    public var expression: String
    /// The IANA time zone of a cron expression; `UTC` by default.
    public var timeZone: String
    /// The payload of every scheduled run (`{}` by default).
    public var payload: JSONValue
    /// The key the declared schedule is reconciled by; `nil` = the task's name.
    public var key: String?

    /// Describes a schedule.
    public init(expression: String, timeZone: String = "UTC", payload: JSONValue = .object([:]), key: String? = nil) {
        self.expression = expression
        self.timeZone = timeZone
        self.payload = payload
        self.key = key
    }

    /// The schedule to declare for a task.
    public func newSchedule(task: String) throws -> NewSchedule {
        NewSchedule(task: task, expression: expression, timeZone: timeZone, payload: try PayloadCoding.encode(payload), key: key)
    }
}
