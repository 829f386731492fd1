import Foundation

extension Errand {
    // MARK: Declared schedules

    /// Declares a schedule that triggers `task` every `rate` (`rate(5 minutes)`, `1 hour`).
    ///
    /// Declared schedules are kept in memory and reconciled with the store by key when a
    /// ``Scheduler`` starts (see ``Scheduler/reconcile()``). The key defaults to the task's name;
    /// give one to declare several schedules for a task. Occurrences are
    /// `anchor + k·interval`, the anchor being the moment the schedule is first stored (it stays
    /// the same across restarts and changes of the rate).
    ///
    /// ```swift
    /// try errand.every(cleanup, rate: "rate(15 minutes)", payload: Cleanup())
    /// ```
    ///
    /// - Throws: ``ErrandError`` naming the problem: a bad rate (field `rate`), a payload that
    ///   does not encode, a key already declared.
    public func every<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, rate: String, payload: Payload, key: String? = nil,
        catchUp: CatchUpPolicy = .latest, overlap: OverlapPolicy = .allow
    ) throws {
        guard case .rate = try ScheduleExpression(rate) else {
            throw ErrandError.invalidArgument(
                field: "rate", value: rate, allowed: "not a rate expression; use \"rate(5 minutes)\" or \"5 minutes\", or cron(_:expression:) for cron"
            )
        }
        try declareSchedule(NewSchedule(
            task: task.name, expression: rate, payload: try PayloadCoding.encode(payload), key: key, catchUp: catchUp,
            overlap: overlap
        ))
    }

    /// Declares a schedule that triggers `task` at the times of a cron expression (six-field AWS,
    /// `cron(…)`, or five-field Unix; see ``CronExpression``) in an IANA time zone (`UTC` by
    /// default), daylight-saving changes handled as ``CronExpression`` describes.
    ///
    /// ```swift
    /// try errand.cron(digest, expression: "0 8 ? * MON-FRI *", payload: Digest(), timeZone: "Europe/Berlin")
    /// ```
    ///
    /// - Throws: ``ErrandError`` naming the problem: a bad expression (field `cron`, with the
    ///   field, token and what it allows), an unknown time zone (field `timeZone`), a key
    ///   already declared.
    public func cron<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, expression: String, payload: Payload, timeZone: String = "UTC",
        key: String? = nil, catchUp: CatchUpPolicy = .latest, overlap: OverlapPolicy = .allow
    ) throws {
        guard !ScheduleExpression.looksLikeRate(expression) else {
            throw ErrandError.invalidArgument(
                field: "cron", value: expression, allowed: "this is a rate expression; use every(_:rate:payload:) for rates"
            )
        }
        try declareSchedule(NewSchedule(
            task: task.name, expression: expression, timeZone: timeZone, payload: try PayloadCoding.encode(payload),
            key: key, catchUp: catchUp, overlap: overlap
        ))
    }

    /// Declares a schedule by task name with a JSON payload (see ``every(_:rate:payload:key:catchUp:overlap:)``).
    /// Its key defaults to the task's name.
    public func declareSchedule(_ schedule: NewSchedule) throws {
        try schedule.validate()
        try scheduling.declare(schedule)
    }

    /// The declared schedules, in the order declared (keys filled in).
    public var declaredSchedules: [NewSchedule] { scheduling.snapshot.schedules }

    // MARK: Run-time schedules

    /// Creates a schedule at run time, or returns the existing one when a schedule with the same
    /// key exists (the key is the deduplication key; without one, every call creates a schedule).
    ///
    /// Its first fire time is the first occurrence after now (for a rate without an anchor, now
    /// plus the interval). Local schedulers pick it up at once; others at their next poll.
    ///
    /// - Throws: ``ErrandError`` naming the field (see ``NewSchedule/validate()``), or
    ///   `unknown_task` for a task this engine does not know (unless it allows unregistered
    ///   tasks), or `unsupported` when the store keeps no schedules.
    @discardableResult
    public func createSchedule(_ schedule: NewSchedule) async throws -> Schedule {
        let store = try scheduleStore()
        if let task = task(named: schedule.task) {
            try task.validatePayload(schedule.payload)
        } else if !configuration.allowsUnregisteredTasks {
            throw ErrandError.unknownTask(schedule.task, known: taskNames)
        }
        let now = clock.now
        let record = try schedule.record(now: now, declared: false, id: Schedule.generateID(at: now))
        let result = try await store.upsertSchedules([record], onConflict: .keepExisting, now: now)[0]
        if result.outcome == .created { scheduling.changed() }
        return result.schedule
    }

    /// Pauses a schedule: it fires nothing until resumed, and a buffered occurrence is dropped.
    /// Pausing a paused schedule changes nothing. Returns the schedule.
    @discardableResult
    public func pauseSchedule(_ id: String) async throws -> Schedule {
        guard let schedule = try await scheduleStore().setSchedulePaused(id: id, paused: true, now: clock.now, nextFireAt: { _ in nil }) else {
            throw ErrandError.scheduleNotFound(id)
        }
        scheduling.changed()
        return schedule
    }

    /// Resumes a paused schedule from now: its next fire time becomes the first occurrence after
    /// now, so occurrences that came while it was paused never run (whatever its catch-up
    /// policy, which is about downtime, not pauses). Resuming an active schedule changes nothing.
    /// Returns the schedule.
    @discardableResult
    public func resumeSchedule(_ id: String) async throws -> Schedule {
        let now = clock.now
        // The next fire time comes from the schedule as the store holds it while resuming, so a
        // definition a reconciliation changed meanwhile is the one it follows.
        let resumed = try await scheduleStore().setSchedulePaused(id: id, paused: false, now: now) { stored in
            try stored.parsedExpression().next(after: now, anchor: stored.rateAnchor)
        }
        guard let resumed else { throw ErrandError.scheduleNotFound(id) }
        scheduling.changed()
        return resumed
    }

    /// Deletes a schedule; its runs are kept. A declared schedule comes back at the next
    /// reconciliation unless its declaration is removed too. Returns the deleted schedule.
    @discardableResult
    public func deleteSchedule(_ id: String) async throws -> Schedule {
        guard let schedule = try await scheduleStore().deleteSchedule(id: id) else { throw ErrandError.scheduleNotFound(id) }
        scheduling.changed()
        return schedule
    }

    // MARK: Reading

    /// Schedules matching the filters, by id (oldest first), a page at a time.
    public func schedules(_ query: ScheduleQuery = ScheduleQuery()) async throws -> [Schedule] {
        guard (1...1000).contains(query.limit) else {
            throw ErrandError.invalidArgument(field: "limit", value: String(query.limit), allowed: "must be between 1 and 1000")
        }
        return try await scheduleStore().listSchedules(query)
    }

    /// The schedule with an id, or `nil`.
    public func schedule(id: String) async throws -> Schedule? {
        try await scheduleStore().schedule(id: id)
    }

    /// The schedule with a key, or `nil`.
    public func schedule(key: String) async throws -> Schedule? {
        try await scheduleStore().schedule(key: key)
    }

    /// The next `count` fire times of a stored schedule (see ``Schedule/nextFireTimes(_:)``):
    /// none while it is paused.
    public func nextFireTimes(ofSchedule id: String, count: Int) async throws -> [Date] {
        try Self.checkCount(count)
        guard let schedule = try await schedule(id: id) else { throw ErrandError.scheduleNotFound(id) }
        return schedule.nextFireTimes(count)
    }

    /// The next `count` fire times of an expression after `date` (default now) in a time zone;
    /// a rate's grid starts at `date`.
    ///
    /// - Throws: ``ErrandError`` naming a bad expression (`cron`/`rate`), zone (`timeZone`) or
    ///   count.
    public func nextFireTimes(expression: String, timeZone: String = "UTC", after date: Date? = nil, count: Int) throws -> [Date] {
        try Self.checkCount(count)
        let start = date ?? clock.now
        return try ScheduleExpression(expression, timeZone: try Schedule.zone(named: timeZone))
            .nextDates(after: start, count: count, anchor: start)
    }

    private static func checkCount(_ count: Int) throws {
        guard (0...10_000).contains(count) else {
            throw ErrandError.invalidArgument(field: "count", value: String(count), allowed: "must be between 0 and 10000")
        }
    }

    // MARK: Internals

    /// The store as a ``ScheduleStore``.
    func scheduleStore() throws -> any ScheduleStore {
        guard let store = store as? any ScheduleStore else {
            throw ErrandError(
                code: .unsupported,
                message: "the store \(type(of: store)) keeps no schedules: schedules need a store that conforms to ScheduleStore (SQLiteRunStore, MemoryRunStore)",
                field: "store"
            )
        }
        return store
    }

    /// The run of a schedule occurrence: made like a trigger (task options apply), due at the
    /// occurrence. A payload that no longer decodes as the task's payload type, or a task this
    /// process does not know, still gets a run (with the defaults for what is unknown), so the
    /// problem shows as a failed run rather than a silently missing one.
    func scheduledRun(of schedule: Schedule, at occurrence: Date, now: Date) -> NewRun {
        var run: NewRun
        do {
            run = try makeRun(TriggerRequest(task: schedule.task, payload: schedule.payload), now: now)
        } catch {
            logger.warning(
                "schedule \(schedule.id) (\(schedule.key)): its run is made with default options",
                metadata: ["error": "\(error)"]
            )
            let options = task(named: schedule.task)?.options ?? TaskOptions()
            run = NewRun(
                task: schedule.task, queue: queue(ofTask: schedule.task) ?? schedule.task, priority: options.priority,
                payload: schedule.payload, tags: options.tags, scheduledAt: now, expiresAt: options.ttl.map { now.adding($0) },
                maxAttempts: options.retry.maxAttempts, requiredLabels: options.requiredLabels.sorted(), cost: options.cost
            )
        }
        run.origin = RunOrigin(.schedule, schedule.id)
        run.scheduleID = schedule.id
        run.occurrenceAt = occurrence
        run.scheduledAt = occurrence
        return run
    }

    /// After a scheduler created runs: wake workers, count and announce them.
    func scheduledRunsCreated(_ runs: [NewRun], now: Date) {
        announceCreated(runs, now: now)
    }
}
