import Foundation

/// The durable record of a run, as a store keeps it.
///
/// The Ampt state fields are all here: ``createdAt``, ``scheduledAt``, ``submittedAt``,
/// ``completedAt``, ``failedAt``, ``progressMessage``, ``progressPercent``, ``error``
/// (`errorMessage`/`errorStack`) and ``result``.
public struct RunRecord: Codable, Sendable, Hashable {
    /// The run's id.
    public var id: RunID
    /// A store-assigned, increasing sequence number (the cursor for listing).
    public var sequence: Int64
    /// The task's name.
    public var task: String
    /// The queue the run waits in.
    public var queue: String
    /// The key the queue's concurrency limit applies to, if any.
    public var concurrencyKey: String?
    /// The run's status.
    public var status: RunStatus
    /// Higher runs first.
    public var priority: Int
    /// The payload as JSON.
    public var payload: Data
    /// Up to 10 tags.
    public var tags: [String]
    /// The idempotency key the run was created with.
    public var idempotencyKey: String?
    /// Until when the idempotency key maps to this run.
    public var idempotencyExpiresAt: Date?
    /// When the run was triggered.
    public var createdAt: Date
    /// When the run is (or was) due to start; for a retrying run, when the next attempt is due.
    public var scheduledAt: Date
    /// When the first attempt started.
    public var submittedAt: Date?
    /// When the run completed.
    public var completedAt: Date?
    /// When the run failed (any unsuccessful final status but `canceled`).
    public var failedAt: Date?
    /// When the run was canceled.
    public var canceledAt: Date?
    /// When the record last changed.
    public var updatedAt: Date
    /// When a run that has not started yet expires (its time to live).
    public var expiresAt: Date?
    /// How many attempts have started.
    public var attemptCount: Int
    /// How many attempts the run may have.
    public var maxAttempts: Int
    /// Time spent executing, summed over finished attempts (for `maxDuration`).
    public var executionTime: Duration
    /// The last progress message.
    public var progressMessage: String?
    /// The last progress fraction, 0…1.
    public var progressPercent: Double?
    /// The result as JSON, when the run completed and the result was at most 64 KB.
    public var result: Data?
    /// Why a result was not stored (too large, not encodable).
    public var resultNote: String?
    /// The error of the last failed attempt, or of the run.
    public var error: RunError?
    /// The worker holding the current attempt.
    public var workerID: String?
    /// Until when the current attempt's lease holds.
    public var leaseExpiresAt: Date?
    /// When a cancel was asked for an executing run.
    public var cancelRequestedAt: Date?
    /// The run this one replays.
    public var replayOf: RunID?
    /// The parent run, for a child run.
    public var parentID: RunID?
    /// The schedule that produced the run.
    public var scheduleID: String?
    /// The schedule occurrence that produced the run.
    public var occurrenceAt: Date?
    /// The attempts, oldest first (filled by ``RunStore/run(id:)``; empty in listings).
    public var attempts: [AttemptRecord]
    /// How deep the run is nested: 0 for a run triggered from outside, its parent's depth + 1 for a
    /// child run (at most ``RunRecord/maximumDepth``).
    public var depth: Int
    /// Whether the parent waits for this child (`triggerAndWait`): its end wakes the parent.
    public var awaited: Bool
    /// Attempts that ended parked (`waiting`) rather than failed: they do not use up retries.
    public var suspensions: Int
    /// Who or what triggered the run.
    public var origin: RunOrigin
    /// The published event that caused the run, if one did.
    public var eventID: String?
    /// Labels a worker must advertise to claim the run (from its task's ``TaskOptions/requiredLabels``).
    public var requiredLabels: [String]
    /// Worker slots an attempt of the run takes (from its task's ``TaskOptions/cost``).
    public var cost: Int
    /// The durable steps, in the order they were first recorded (filled by ``RunStore/run(id:)``;
    /// empty in listings).
    public var steps: [StepRecord]

    /// The deepest a child run may be nested (a run triggered from outside has depth 0).
    public static let maximumDepth = 5

    /// Failed attempts so far: attempts less the suspensions, what the retry policy counts.
    public var failedAttemptCount: Int { attemptCount - suspensions }

    /// The final status time: `completedAt`, `failedAt` or `canceledAt`.
    public var finishedAt: Date? { completedAt ?? failedAt ?? canceledAt }

    /// Creates a record.
    public init(
        id: RunID, sequence: Int64 = 0, task: String, queue: String, concurrencyKey: String? = nil,
        status: RunStatus, priority: Int = 0, payload: Data, tags: [String] = [],
        idempotencyKey: String? = nil, idempotencyExpiresAt: Date? = nil,
        createdAt: Date, scheduledAt: Date, submittedAt: Date? = nil, completedAt: Date? = nil,
        failedAt: Date? = nil, canceledAt: Date? = nil, updatedAt: Date, expiresAt: Date? = nil,
        attemptCount: Int = 0, maxAttempts: Int, executionTime: Duration = .zero,
        progressMessage: String? = nil, progressPercent: Double? = nil, result: Data? = nil,
        resultNote: String? = nil, error: RunError? = nil, workerID: String? = nil,
        leaseExpiresAt: Date? = nil, cancelRequestedAt: Date? = nil, replayOf: RunID? = nil,
        parentID: RunID? = nil, scheduleID: String? = nil, occurrenceAt: Date? = nil,
        attempts: [AttemptRecord] = [], depth: Int = 0, awaited: Bool = false, suspensions: Int = 0,
        steps: [StepRecord] = [], origin: RunOrigin = .app, eventID: String? = nil, requiredLabels: [String] = [], cost: Int = 1
    ) {
        self.id = id
        self.sequence = sequence
        self.task = task
        self.queue = queue
        self.concurrencyKey = concurrencyKey
        self.status = status
        self.priority = priority
        self.payload = payload
        self.tags = tags
        self.idempotencyKey = idempotencyKey
        self.idempotencyExpiresAt = idempotencyExpiresAt
        self.createdAt = createdAt
        self.scheduledAt = scheduledAt
        self.submittedAt = submittedAt
        self.completedAt = completedAt
        self.failedAt = failedAt
        self.canceledAt = canceledAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
        self.attemptCount = attemptCount
        self.maxAttempts = maxAttempts
        self.executionTime = executionTime
        self.progressMessage = progressMessage
        self.progressPercent = progressPercent
        self.result = result
        self.resultNote = resultNote
        self.error = error
        self.workerID = workerID
        self.leaseExpiresAt = leaseExpiresAt
        self.cancelRequestedAt = cancelRequestedAt
        self.replayOf = replayOf
        self.parentID = parentID
        self.scheduleID = scheduleID
        self.occurrenceAt = occurrenceAt
        self.attempts = attempts
        self.depth = depth
        self.awaited = awaited
        self.suspensions = suspensions
        self.steps = steps
        self.origin = origin
        self.eventID = eventID
        self.requiredLabels = requiredLabels
        self.cost = cost
    }
}
