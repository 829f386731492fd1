import Foundation

/// A run as the CLI prints it in JSON: ``RunRecord``'s field names, dates as ISO-8601 UTC strings,
/// the payload and result embedded as JSON values, `status` as its raw value, and the Ampt fields
/// `errorMessage` and `errorStack` besides `error`. Absent values are written as `null`;
/// `attempts` is left out of listings (which do not load attempts).
public struct RunView: Codable, Sendable {
    public var id: String
    public var sequence: Int64
    public var task: String
    public var queue: String
    public var concurrencyKey: String?
    public var status: String
    public var priority: Int
    public var payload: JSONValue
    public var tags: [String]
    public var idempotencyKey: String?
    public var idempotencyExpiresAt: String?
    public var createdAt: String
    public var scheduledAt: String
    public var submittedAt: String?
    public var completedAt: String?
    public var failedAt: String?
    public var canceledAt: String?
    public var updatedAt: String
    public var expiresAt: String?
    public var attemptCount: Int
    public var maxAttempts: Int
    /// Seconds spent executing, summed over finished attempts.
    public var executionTime: Double
    public var progressMessage: String?
    public var progressPercent: Double?
    public var result: JSONValue?
    public var resultNote: String?
    public var error: RunError?
    public var errorMessage: String?
    public var errorStack: String?
    public var workerID: String?
    public var leaseExpiresAt: String?
    public var cancelRequestedAt: String?
    public var replayOf: String?
    public var parentID: String?
    public var scheduleID: String?
    public var occurrenceAt: String?
    public var attempts: [AttemptView]?
    /// How deep the run is nested below a run triggered from outside.
    public var depth: Int
    /// Whether its parent waits for it.
    public var awaited: Bool
    /// Attempts that ended parked on a wait rather than failed.
    public var suspensions: Int
    /// The durable steps (with the attempts; left out of listings).
    public var steps: [StepView]?
    /// Who or what triggered the run: `kind` or `kind:reference` (`apiKey:ci-bot`, `cli:ada`,
    /// `parent:run_…`, `schedule:sch_…`, `event:evt_…`, `replay:run_…`, `app`).
    public var origin: String
    /// The published event that caused the run.
    public var eventID: String?
    /// Labels a worker needs to claim the run.
    public var requiredLabels: [String]
    /// Worker slots an attempt takes.
    public var cost: Int

    /// The view of a record; `includeAttempts` for a record read with its attempts.
    public init(_ record: RunRecord, includeAttempts: Bool) {
        let time = { (date: Date) in ISO8601Timestamp.string(from: date, fractionalSeconds: true) }
        id = record.id.rawValue
        sequence = record.sequence
        task = record.task
        queue = record.queue
        concurrencyKey = record.concurrencyKey
        status = record.status.rawValue
        priority = record.priority
        payload = JSONValue(json: record.payload)
        tags = record.tags
        idempotencyKey = record.idempotencyKey
        idempotencyExpiresAt = record.idempotencyExpiresAt.map(time)
        createdAt = time(record.createdAt)
        scheduledAt = time(record.scheduledAt)
        submittedAt = record.submittedAt.map(time)
        completedAt = record.completedAt.map(time)
        failedAt = record.failedAt.map(time)
        canceledAt = record.canceledAt.map(time)
        updatedAt = time(record.updatedAt)
        expiresAt = record.expiresAt.map(time)
        attemptCount = record.attemptCount
        maxAttempts = record.maxAttempts
        executionTime = record.executionTime.timeInterval
        progressMessage = record.progressMessage
        progressPercent = record.progressPercent
        result = record.result.map(JSONValue.init(json:))
        resultNote = record.resultNote
        error = record.error
        errorMessage = record.error?.message
        errorStack = record.error?.stack
        workerID = record.workerID
        leaseExpiresAt = record.leaseExpiresAt.map(time)
        cancelRequestedAt = record.cancelRequestedAt.map(time)
        replayOf = record.replayOf?.rawValue
        parentID = record.parentID?.rawValue
        scheduleID = record.scheduleID
        occurrenceAt = record.occurrenceAt.map(time)
        attempts = includeAttempts ? record.attempts.map(AttemptView.init) : nil
        depth = record.depth
        awaited = record.awaited
        suspensions = record.suspensions
        steps = includeAttempts ? record.steps.map(StepView.init) : nil
        origin = record.origin.description
        eventID = record.eventID
        requiredLabels = record.requiredLabels
        cost = record.cost
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // `encode` (not `encodeIfPresent`) writes nil as null, so every field is always there.
        try container.encode(id, forKey: .id)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(task, forKey: .task)
        try container.encode(queue, forKey: .queue)
        try container.encode(concurrencyKey, forKey: .concurrencyKey)
        try container.encode(status, forKey: .status)
        try container.encode(priority, forKey: .priority)
        try container.encode(payload, forKey: .payload)
        try container.encode(tags, forKey: .tags)
        try container.encode(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(idempotencyExpiresAt, forKey: .idempotencyExpiresAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(scheduledAt, forKey: .scheduledAt)
        try container.encode(submittedAt, forKey: .submittedAt)
        try container.encode(completedAt, forKey: .completedAt)
        try container.encode(failedAt, forKey: .failedAt)
        try container.encode(canceledAt, forKey: .canceledAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(attemptCount, forKey: .attemptCount)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(executionTime, forKey: .executionTime)
        try container.encode(progressMessage, forKey: .progressMessage)
        try container.encode(progressPercent, forKey: .progressPercent)
        try container.encode(result, forKey: .result)
        try container.encode(resultNote, forKey: .resultNote)
        try container.encode(error, forKey: .error)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encode(errorStack, forKey: .errorStack)
        try container.encode(workerID, forKey: .workerID)
        try container.encode(leaseExpiresAt, forKey: .leaseExpiresAt)
        try container.encode(cancelRequestedAt, forKey: .cancelRequestedAt)
        try container.encode(replayOf, forKey: .replayOf)
        try container.encode(parentID, forKey: .parentID)
        try container.encode(scheduleID, forKey: .scheduleID)
        try container.encode(occurrenceAt, forKey: .occurrenceAt)
        try container.encodeIfPresent(attempts, forKey: .attempts)
        try container.encode(depth, forKey: .depth)
        try container.encode(awaited, forKey: .awaited)
        try container.encode(suspensions, forKey: .suspensions)
        try container.encodeIfPresent(steps, forKey: .steps)
        try container.encode(origin, forKey: .origin)
        try container.encode(eventID, forKey: .eventID)
        try container.encode(requiredLabels, forKey: .requiredLabels)
        try container.encode(cost, forKey: .cost)
    }
}
