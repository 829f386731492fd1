import Foundation

/// A schedule as a user declares or creates it: what to run, when, and the policies.
///
/// ```swift
/// // At run time, one schedule per user (Trigger.dev style):
/// let schedule = try await errand.createSchedule(NewSchedule(
///     task: "daily-digest", expression: "0 8 * * ? *", timeZone: "Europe/Berlin",
///     payload: Data(#"{"user":"u_42"}"#.utf8), key: "digest-u_42", externalID: "u_42"
/// ))
/// ```
public struct NewSchedule: Sendable, Hashable {
    /// The task each occurrence triggers.
    public var task: String
    /// A cron expression (six-field AWS, `cron(…)`, or five-field Unix) or a rate
    /// (`rate(5 minutes)`, `5 minutes`); see ``ScheduleExpression``.
    public var expression: String
    /// The IANA time zone the cron fields are in; `UTC` by default. A rate has no time zone.
    public var timeZone: String
    /// The payload of every run, as JSON.
    public var payload: Data
    /// The stable key: for a schedule created at run time, its deduplication key (creating
    /// another schedule with the same key returns the existing one); for a declared schedule, the
    /// key it is reconciled by. Default: the generated id at run time, the task's name when
    /// declared. 1…256 characters.
    public var key: String?
    /// An id of your own (a user's, a tenant's), 1…256 characters, to list schedules by.
    public var externalID: String?
    /// What happens to missed occurrences (default ``CatchUpPolicy/latest``).
    public var catchUp: CatchUpPolicy
    /// What happens to an occurrence while the previous run is unfinished (default
    /// ``OverlapPolicy/allow``).
    public var overlap: OverlapPolicy
    /// For a rate: the start of its grid (occurrences are `anchor + k·interval`). `nil` = the
    /// moment the schedule is first stored. Cron ignores it.
    public var anchor: Date?
    /// Whether the schedule starts paused.
    public var paused: Bool

    /// Describes a schedule.
    public init(
        task: String, expression: String, timeZone: String = "UTC", payload: Data = Data("{}".utf8), key: String? = nil,
        externalID: String? = nil, catchUp: CatchUpPolicy = .latest, overlap: OverlapPolicy = .allow, anchor: Date? = nil,
        paused: Bool = false
    ) {
        self.task = task
        self.expression = expression
        self.timeZone = timeZone
        self.payload = payload
        self.key = key
        self.externalID = externalID
        self.catchUp = catchUp
        self.overlap = overlap
        self.anchor = anchor
        self.paused = paused
    }

    /// The longest key and external id.
    public static let maximumKeyLength = 256

    /// Checks every field and parses the expression.
    ///
    /// - Throws: ``ErrandError`` naming the field: `task`, `cron` or `rate` (with the
    ///   expression parser's message), `timeZone` (naming the zone), `key`, `externalID`,
    ///   `payload`, `catchUp`.
    @discardableResult
    public func validate() throws -> ScheduleExpression {
        try TaskName.validate(task, field: "task")
        let zone = try Schedule.zone(named: timeZone)
        let parsed = try ScheduleExpression(expression, timeZone: zone)
        if case .rate = parsed, zone.secondsFromGMT(for: Date()) != 0 || zone.nextDaylightSavingTimeTransition != nil {
            throw ErrandError.invalidArgument(
                field: "timeZone", value: timeZone,
                allowed: "a rate (\(expression.trimmingCharacters(in: .whitespaces))) has no time zone: leave timeZone as UTC, or use a cron expression"
            )
        }
        for (field, value) in [("key", key), ("externalID", externalID)] {
            if let value, value.isEmpty || value.count > Self.maximumKeyLength {
                throw ErrandError.invalidArgument(field: field, value: value, allowed: "must be 1…\(Self.maximumKeyLength) characters")
            }
            if let value { try IdentifierText.check(value, field: field) }
        }
        try PayloadCoding.checkPayloadSize(payload)
        try PayloadCoding.checkJSON(payload)
        try catchUp.validate()
        return parsed
    }

    /// The record to store for this schedule at `now`: validated, with its first fire time (the
    /// first occurrence strictly after `now`; for a rate without an anchor, `now` + interval).
    public func record(now: Date, declared: Bool, id: String = Schedule.generateID()) throws -> Schedule {
        let parsed = try validate()
        let kind: ScheduleKind
        let zoneName: String
        switch parsed {
        case .cron(let cron):
            kind = .cron
            zoneName = cron.timeZone.identifier
        case .rate:
            kind = .rate
            zoneName = "UTC"
        }
        return Schedule(
            id: id, key: key ?? (declared ? task : id), externalID: externalID, task: task,
            expression: parsed.text, kind: kind, timeZone: zoneName, anchor: kind == .rate ? anchor : nil,
            payload: payload, catchUp: catchUp, overlap: overlap, paused: paused,
            nextFireAt: parsed.next(after: now, anchor: anchor ?? now), declared: declared, createdAt: now, updatedAt: now
        )
    }
}
