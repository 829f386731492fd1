import Foundation

extension Errand {
    /// Subscribes a task to published events whose name matches `pattern` (see ``EventPattern``)
    /// and whose payload passes `filter`: each such event creates one run of the task with the
    /// event's payload, `delay` after the event (Ampt's `welcomeTask.run("1 hour", …)`).
    ///
    /// The subscription is stored when a worker of this process starts or this process first
    /// publishes, so publishers in other processes (the CLI, other apps) create its runs too.
    public func subscribe<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, to pattern: String, filter: EventFilter = EventFilter(), delay: Duration? = nil
    ) throws {
        _ = try EventPattern(pattern)
        if let delay, delay < .zero || delay > .seconds(365 * 24 * 3600) {
            throw ErrandError.invalidArgument(field: "delay", value: "\(delay)", allowed: "a subscription's delay is 0 to 365 days")
        }
        let options = task.options
        let subscription = EventSubscription(
            task: task.name, pattern: pattern, filter: filter, delayMilliseconds: delay.map { $0.milliseconds }, queue: task.queueName,
            priority: options.priority, maxAttempts: options.retry.maxAttempts, tags: options.tags,
            requiredLabels: options.requiredLabels.sorted(), cost: options.cost
        )
        try subscribing.withLock { registry in
            guard !registry.subscriptions.contains(where: { $0.task == task.name && $0.pattern == pattern }) else {
                throw ErrandError(
                    code: .invalidArgument,
                    message: "task \"\(task.name)\" already subscribes to \"\(pattern)\"",
                    field: "pattern"
                )
            }
            registry.subscriptions.append(subscription)
            registry.stored = false
        }
    }

    /// The subscriptions declared in this process.
    public var declaredSubscriptions: [EventSubscription] { subscribing.withLock { $0.subscriptions } }

    /// Stores this process's subscriptions, replacing the stored ones of the same tasks (a task
    /// whose subscriptions were removed from the code loses them when its process starts).
    public func storeDeclaredSubscriptions() async throws {
        let (subscriptions, stored) = subscribing.withLock { ($0.subscriptions, $0.stored) }
        guard !stored else { return }
        let tasks = Set(subscriptions.map(\.task)).union(taskNames)
        try await store.replaceSubscriptions(subscriptions, forTasks: tasks)
        subscribing.withLock { $0.stored = true }
    }

    /// Publishes an event: stores it and, in the same transaction, one run per subscribing task
    /// (see ``subscribe(_:to:filter:delay:)``). Publishing again with the same `id` creates
    /// nothing and returns the stored event, so a publisher may retry safely.
    ///
    /// `after` delays every run (it overrides the subscriptions' own delays). A payload that a
    /// subscribing task registered in this process cannot decode is rejected, naming the task
    /// and the field, and nothing is stored.
    @discardableResult
    public func publish(
        event name: String, payload: Data, id: String? = nil, after: TriggerDelay? = nil, origin: RunOrigin = .app
    ) async throws -> EventRecord {
        try await publishEvent(name, payload: payload, id: id, after: after, origin: origin).event
    }

    /// Publishes an event like ``publish(event:payload:id:after:origin:)`` and tells whether this
    /// call stored it (``PublishResult/created``) or found an event with the same `id` (nothing
    /// stored): what the HTTP API answers with 201 or 200.
    public func publishEvent(
        _ name: String, payload: Data, id: String? = nil, after: TriggerDelay? = nil, origin: RunOrigin = .app
    ) async throws -> PublishResult {
        try EventName.validate(name)
        let id = id ?? EventRecord.generateID()
        guard !id.isEmpty, id.utf8.count <= 255 else {
            throw ErrandError.invalidArgument(field: "id", value: id, allowed: "an event id is 1 to 255 bytes")
        }
        try IdentifierText.check(id, field: "id")
        try PayloadCoding.checkPayloadSize(payload)
        try PayloadCoding.checkJSON(payload)
        try await storeDeclaredSubscriptions()
        let now = clock.now
        let json = JSONValue(json: payload)
        let fixed = try after?.resolve(now: now)
        var runs: [NewRun] = []
        for subscription in try await store.subscriptions() {
            guard let pattern = try? EventPattern(subscription.pattern), pattern.matches(name), subscription.filter.matches(json) else { continue }
            var run: NewRun
            if task(named: subscription.task) != nil {
                do {
                    run = try makeRun(TriggerRequest(task: subscription.task, payload: payload), now: now)
                } catch var error as ErrandError {
                    error.message = "event \(name): subscribing task \"\(subscription.task)\": \(error.message)"
                    throw error
                }
            } else {
                run = NewRun(
                    task: subscription.task, queue: subscription.queue, priority: subscription.priority, payload: payload,
                    tags: subscription.tags, scheduledAt: now, maxAttempts: subscription.maxAttempts,
                    requiredLabels: subscription.requiredLabels, cost: subscription.cost
                )
            }
            let due = fixed ?? subscription.delayMilliseconds.map { now.adding(.milliseconds($0)) } ?? now
            run.expiresAt = run.expiresAt.map { $0.addingTimeInterval(due.timeIntervalSince(run.scheduledAt)) }
            run.scheduledAt = due
            run.eventID = id
            run.origin = RunOrigin(.event, id)
            run.idempotencyKey = "event:\(id)"
            run.idempotencyExpiresAt = .distantFuture
            runs.append(run)
        }
        let result = try await store.publishEvent(
            EventRecord(id: id, name: name, payload: payload, publishedAt: now, origin: origin), runs: runs, now: now
        )
        if result.created { announceCreated(runs, now: now) }
        return result
    }

    /// Publishes an event whose payload is `payload` encoded as JSON.
    @discardableResult
    public func publish<Payload: Encodable>(
        event name: String, _ payload: Payload, id: String? = nil, after: TriggerDelay? = nil, origin: RunOrigin = .app
    ) async throws -> EventRecord {
        try await publish(event: name, payload: try PayloadCoding.encode(payload), id: id, after: after, origin: origin)
    }

    /// Published events, newest first, a page at a time.
    public func publishedEvents(_ query: EventQuery = EventQuery()) async throws -> EventPage {
        try await store.listEvents(query)
    }

    /// The published event with this id, `nil` when unknown.
    public func publishedEvent(id: String) async throws -> EventRecord? {
        try await store.event(id: id)
    }
}
