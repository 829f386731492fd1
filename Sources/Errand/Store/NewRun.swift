import Foundation

/// A run to insert, as the engine hands it to a store.
public struct NewRun: Sendable, Hashable {
    /// The new run's id (ignored when the idempotency key matches an existing run).
    public var id: RunID
    /// The task's name.
    public var task: String
    /// The queue the run waits in.
    public var queue: String
    /// The key the queue's concurrency limit applies to.
    public var concurrencyKey: String?
    /// Higher runs first.
    public var priority: Int
    /// The payload as JSON.
    public var payload: Data
    /// Tags.
    public var tags: [String]
    /// An idempotency key, unique per task while it lives.
    public var idempotencyKey: String?
    /// Until when the idempotency key holds.
    public var idempotencyExpiresAt: Date?
    /// When the run is due. A time after `now` makes it `delayed`, otherwise `queued`.
    public var scheduledAt: Date
    /// When the run expires if it has not started.
    public var expiresAt: Date?
    /// How many attempts the run may have.
    public var maxAttempts: Int
    /// The run this one replays.
    public var replayOf: RunID?
    /// The parent run.
    public var parentID: RunID?
    /// The schedule that produced it.
    public var scheduleID: String?
    /// The schedule occurrence that produced it.
    public var occurrenceAt: Date?
    /// How deep the run is nested (see ``RunRecord/depth``).
    public var depth: Int
    /// Whether the parent waits for it (see ``RunRecord/awaited``).
    public var awaited: Bool
    /// Who or what triggered it.
    public var origin: RunOrigin
    /// The published event that caused it.
    public var eventID: String?
    /// Labels a worker must advertise to claim it, sorted.
    public var requiredLabels: [String]
    /// Worker slots an attempt takes.
    public var cost: Int

    /// Creates a run to insert.
    public init(
        id: RunID = .generate(), task: String, queue: String, concurrencyKey: String? = nil, priority: Int = 0,
        payload: Data, tags: [String] = [], idempotencyKey: String? = nil, idempotencyExpiresAt: Date? = nil,
        scheduledAt: Date, expiresAt: Date? = nil, maxAttempts: Int = 3, replayOf: RunID? = nil,
        parentID: RunID? = nil, scheduleID: String? = nil, occurrenceAt: Date? = nil, depth: Int = 0, awaited: Bool = false,
        origin: RunOrigin = .app, eventID: String? = nil, requiredLabels: [String] = [], cost: Int = 1
    ) {
        self.id = id
        self.task = task
        self.queue = queue
        self.concurrencyKey = concurrencyKey
        self.priority = priority
        self.payload = payload
        self.tags = tags
        self.idempotencyKey = idempotencyKey
        self.idempotencyExpiresAt = idempotencyExpiresAt
        self.scheduledAt = scheduledAt
        self.expiresAt = expiresAt
        self.maxAttempts = maxAttempts
        self.replayOf = replayOf
        self.parentID = parentID
        self.scheduleID = scheduleID
        self.occurrenceAt = occurrenceAt
        self.depth = depth
        self.awaited = awaited
        self.origin = origin
        self.eventID = eventID
        self.requiredLabels = requiredLabels
        self.cost = cost
    }

    /// The record a store creates for this run at `now`.
    public func record(sequence: Int64, now: Date) -> RunRecord {
        RunRecord(
            id: id, sequence: sequence, task: task, queue: queue, concurrencyKey: concurrencyKey,
            status: scheduledAt > now ? .delayed : .queued, priority: priority, payload: payload, tags: tags,
            idempotencyKey: idempotencyKey, idempotencyExpiresAt: idempotencyExpiresAt, createdAt: now,
            scheduledAt: scheduledAt, updatedAt: now, expiresAt: expiresAt, maxAttempts: maxAttempts,
            replayOf: replayOf, parentID: parentID, scheduleID: scheduleID, occurrenceAt: occurrenceAt,
            depth: depth, awaited: awaited, origin: origin, eventID: eventID, requiredLabels: requiredLabels, cost: cost
        )
    }
}

/// What inserting one run did.
public struct InsertResult: Sendable, Hashable {
    /// The run's id: the new one, or the existing run's when the idempotency key matched.
    public var id: RunID
    /// Whether a new run was created.
    public var created: Bool

    /// Creates an insert result.
    public init(id: RunID, created: Bool) {
        self.id = id
        self.created = created
    }
}
