import Foundation

/// One run to trigger by task name with a JSON payload (the CLI, the HTTP API and batches use it).
public struct TriggerRequest: Sendable {
    /// The task's name.
    public var task: String
    /// The payload as JSON.
    public var payload: Data
    /// The trigger options.
    public var options: TriggerOptions

    /// Creates a trigger request.
    public init(task: String, payload: Data, options: TriggerOptions = TriggerOptions()) {
        self.task = task
        self.payload = payload
        self.options = options
    }
}

extension Errand {
    /// Triggers a run of a task and returns its id once the run is durably stored.
    ///
    /// Throws an ``ErrandError`` when the task is not registered, the payload is larger than
    /// 256 KB (the message gives both sizes), `after` is malformed or more than a year ahead, or
    /// an option is invalid.
    @discardableResult
    public func trigger<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, _ payload: Payload, options: TriggerOptions = TriggerOptions()
    ) async throws -> RunID {
        try await insert([TriggerRequest(task: task.name, payload: try PayloadCoding.encode(payload), options: options)], typed: true)[0]
    }

    /// Triggers a run by task name with a JSON payload.
    @discardableResult
    public func trigger(_ request: TriggerRequest) async throws -> RunID {
        try await batchTrigger([request])[0]
    }

    /// Triggers many runs of one task in one store transaction; returns their ids in order.
    @discardableResult
    public func batchTrigger<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, _ payloads: [Payload], options: TriggerOptions = TriggerOptions()
    ) async throws -> [RunID] {
        let requests = try payloads.map { TriggerRequest(task: task.name, payload: try PayloadCoding.encode($0), options: options) }
        return try await insert(requests, typed: true)
    }

    /// Triggers many runs in one store transaction; returns their ids in order. Either all are
    /// checked and stored, or (on bad input) none is, and the error names the item.
    @discardableResult
    public func batchTrigger(_ requests: [TriggerRequest]) async throws -> [RunID] {
        try await insert(requests, typed: false)
    }

    /// Checks and inserts runs. `typed` says the payloads were encoded from the task's own payload
    /// type, so decoding them again to check them is skipped.
    private func insert(_ requests: [TriggerRequest], typed: Bool) async throws -> [RunID] {
        guard !requests.isEmpty else { return [] }
        let now = clock.now
        var runs: [NewRun] = []
        runs.reserveCapacity(requests.count)
        for (index, request) in requests.enumerated() {
            do {
                runs.append(try makeRun(request, now: now, payloadIsTyped: typed))
            } catch var error as ErrandError where requests.count > 1 {
                error.message = "item \(index): \(error.message)"
                throw error
            }
        }
        return try await insertNewRuns(runs, now: now)
    }

    /// Checks trigger requests and turns them into the runs a store inserts, without storing them:
    /// for stores that insert in a transaction of the caller's (``ErrandPostgres``'s transactional
    /// enqueue). The checks are the same as ``trigger(_:)``'s; an error names the item and field.
    public func newRuns(for requests: [TriggerRequest]) throws -> [NewRun] {
        let now = clock.now
        return try requests.enumerated().map { index, request in
            do {
                return try makeRun(request, now: now)
            } catch var error as ErrandError where requests.count > 1 {
                error.message = "item \(index): \(error.message)"
                throw error
            }
        }
    }

    /// Stores new runs, wakes this process's workers and publishes `triggered` events.
    func insertNewRuns(_ runs: [NewRun], now: Date) async throws -> [RunID] {
        let results = try await store.insertRuns(runs, now: now)
        announceCreated(zip(runs, results).filter { $0.1.created }.map(\.0), now: now)
        return results.map(\.id)
    }

    /// After runs were created: wakes this process's workers, counts the runs and publishes their
    /// `triggered` events.
    func announceCreated(_ runs: [NewRun], now: Date) {
        guard !runs.isEmpty else { return }
        wakeWorkers()
        metrics.triggered(runs)
        if bus.mayWant(.triggered) {
            for run in runs {
                publish(RunEvent(kind: .triggered, runID: run.id, task: run.task, status: run.scheduledAt > now ? .delayed : .queued, at: now))
            }
        }
    }

    /// Checks a request and turns it into the run to insert.
    func makeRun(_ request: TriggerRequest, now: Date, parentID: RunID? = nil, replayOf: RunID? = nil, payloadIsTyped: Bool = false) throws -> NewRun {
        let options = request.options
        try options.validate()
        try PayloadCoding.checkPayloadSize(request.payload)
        let task = self.task(named: request.task)
        if let task {
            if !payloadIsTyped || task.hasPayloadValidator { try task.validatePayload(request.payload) }
        } else {
            try TaskName.validate(request.task, field: "task")
            guard configuration.allowsUnregisteredTasks else {
                throw ErrandError.unknownTask(request.task, known: taskNames)
            }
            try PayloadCoding.checkJSON(request.payload)
        }
        let taskOptions = task?.options ?? TaskOptions()
        let scheduledAt = try options.after?.resolve(now: now) ?? now
        var tags = taskOptions.tags
        for tag in options.tags where !tags.contains(tag) { tags.append(tag) }
        try TriggerOptions.validateTags(tags)
        let ttl = options.ttl ?? taskOptions.ttl
        return NewRun(
            task: request.task,
            queue: options.queue ?? task?.queueName ?? request.task,
            concurrencyKey: options.concurrencyKey,
            priority: options.priority ?? taskOptions.priority,
            payload: request.payload,
            tags: tags,
            idempotencyKey: options.idempotencyKey,
            idempotencyExpiresAt: options.idempotencyKey.map { _ in now.adding(options.idempotencyKeyTTL) },
            scheduledAt: scheduledAt,
            expiresAt: ttl.map { scheduledAt.adding($0) },
            maxAttempts: taskOptions.retry.maxAttempts,
            replayOf: replayOf,
            parentID: parentID,
            origin: parentID.map { RunOrigin(.parent, $0.rawValue) } ?? replayOf.map { RunOrigin(.replay, $0.rawValue) } ?? options.origin ?? .app,
            requiredLabels: taskOptions.requiredLabels.sorted(),
            cost: taskOptions.cost
        )
    }
}
