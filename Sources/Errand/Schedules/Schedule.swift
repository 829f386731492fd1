import Foundation

/// A stored schedule: a cron or rate expression bound to a task and a payload, with the state
/// the scheduler keeps for it.
///
/// Schedules come from two places: *declared* in code with ``Errand/every(_:rate:payload:key:catchUp:overlap:)``
/// and ``Errand/cron(_:expression:payload:timeZone:key:catchUp:overlap:)`` (reconciled by
/// ``key`` when a ``Scheduler`` starts), or *created at run time* with
/// ``Errand/createSchedule(_:)`` (for example one per user, identified by ``externalID``).
///
/// Each occurrence the scheduler fires becomes a run whose ``RunRecord/scheduleID`` is ``id``,
/// whose ``RunRecord/occurrenceAt`` is the occurrence's time and whose
/// ``RunRecord/scheduledAt`` is that time too. A store never holds two runs for one
/// (schedule, occurrence).
public struct Schedule: Sendable, Hashable {
    /// The schedule's id, such as `sched_01JD7X0R4Q8ZP9W3K6M2B5T1YC` (sorts by creation time).
    public var id: String
    /// The stable, unique key: the deduplication key of a schedule created at run time, or the
    /// key a declared schedule is reconciled by (its task's name unless given).
    public var key: String
    /// An id of your own (a user's, a tenant's), to find the schedule by.
    public var externalID: String?
    /// The task each occurrence triggers.
    public var task: String
    /// The expression as written: cron (`0 9 ? * MON-FRI *`, `*/5 * * * *`) or rate
    /// (`rate(5 minutes)`, `5 minutes`).
    public var expression: String
    /// Whether ``expression`` is a cron or a rate expression.
    public var kind: ScheduleKind
    /// The IANA time zone the cron fields are in (`UTC` for rates).
    public var timeZone: String
    /// The start of a rate's grid: occurrences are `anchor + k·interval`. `nil` means
    /// ``createdAt``. Cron ignores it.
    public var anchor: Date?
    /// The payload of every run, as JSON.
    public var payload: Data
    /// What happens to missed occurrences.
    public var catchUp: CatchUpPolicy
    /// What happens to an occurrence while the previous run is unfinished.
    public var overlap: OverlapPolicy
    /// Whether the schedule is paused: a paused schedule fires nothing.
    public var paused: Bool
    /// The next occurrence not handled yet (it may be in the past while the scheduler is down),
    /// or `nil` when the expression never fires again.
    public var nextFireAt: Date?
    /// The latest occurrence handled: fired, buffered or dropped by a policy.
    public var lastOccurrenceAt: Date?
    /// The run of the latest fired occurrence.
    public var lastRunID: RunID?
    /// An occurrence waiting for the previous run to finish (``OverlapPolicy/bufferOne``).
    public var bufferedOccurrenceAt: Date?
    /// Whether the schedule was declared in code (reconciled at start-up) rather than created at
    /// run time.
    public var declared: Bool
    /// When the schedule was first stored.
    public var createdAt: Date
    /// When the schedule last changed.
    public var updatedAt: Date

    /// Creates a schedule record.
    public init(
        id: String = Schedule.generateID(), key: String, externalID: String? = nil, task: String, expression: String,
        kind: ScheduleKind, timeZone: String = "UTC", anchor: Date? = nil, payload: Data,
        catchUp: CatchUpPolicy = .latest, overlap: OverlapPolicy = .allow, paused: Bool = false, nextFireAt: Date?,
        lastOccurrenceAt: Date? = nil, lastRunID: RunID? = nil, bufferedOccurrenceAt: Date? = nil,
        declared: Bool = false, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.key = key
        self.externalID = externalID
        self.task = task
        self.expression = expression
        self.kind = kind
        self.timeZone = timeZone
        self.anchor = anchor
        self.payload = payload
        self.catchUp = catchUp
        self.overlap = overlap
        self.paused = paused
        self.nextFireAt = nextFireAt
        self.lastOccurrenceAt = lastOccurrenceAt
        self.lastRunID = lastRunID
        self.bufferedOccurrenceAt = bufferedOccurrenceAt
        self.declared = declared
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Makes a new, unique, time-ordered schedule id (`sched_` and 26 characters).
    public static func generateID(at date: Date = Date()) -> String {
        SortableID.make(prefix: "sched_", at: date)
    }
}
