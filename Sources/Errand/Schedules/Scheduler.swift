import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Turns schedules into runs, as a swift-service-lifecycle `Service`.
///
/// When it starts, the scheduler reconciles the engine's declared schedules with the store (see
/// ``SchedulerConfiguration/reconcilesDeclaredSchedules``). Then it loops: it reads the due
/// schedules, applies each one's catch-up and overlap policies (see ``SchedulePlan``), fires the
/// occurrences with ``ScheduleStore/fireSchedule(_:)`` (one transaction per schedule: the
/// compare-and-set of its state and its runs), wakes this process's workers, and sleeps on the
/// engine's clock until the earliest next fire time, a run-time change of a schedule, a watched
/// run finishing, or ``SchedulerConfiguration/pollInterval``.
///
/// With a ``LeaderElection`` (``Errand/leaderElection(_:)``) the scheduler fires only while its
/// process leads. Without one, any number of schedulers, in any number of processes, may still run
/// against one store: each
/// occurrence becomes exactly one run (the compare-and-set lets one scheduler win, and the store
/// holds at most one run per schedule occurrence). A run made from an occurrence goes through the
/// same path as a trigger (the task's queue, priority, tags, time to live and retries apply),
/// with ``RunRecord/scheduleID``, ``RunRecord/occurrenceAt`` and ``RunRecord/scheduledAt`` set
/// to the schedule and the occurrence's time.
///
/// ```swift
/// try errand.cron(digest, expression: "0 8 ? * MON-FRI *", payload: Digest(), timeZone: "Europe/Berlin")
/// let services: [any Service] = [errand.worker(), errand.scheduler(), errand.maintenance()]
/// try await ServiceGroup(services: services, logger: logger).run()
/// ```
public final class Scheduler: Service, Sendable {
    /// The settings.
    public let configuration: SchedulerConfiguration
    let errand: Errand
    let wake = WakeSignal()
    private let state = Mutex(State())

    private struct State {
        var shuttingDown = false
        /// Last runs of schedules holding a buffered occurrence: their end wakes the scheduler.
        var watched: Set<RunID> = []
        /// Runs that finished recently (bounded), so a run that ends while the watch list is
        /// being rebuilt still wakes the scheduler.
        var finished: Set<RunID> = []
        var finishedOrder: [RunID] = []
        /// The declarations' generation last reconciled.
        var reconciledGeneration = -1
    }

    /// What handling one due schedule did.
    private enum Handled {
        /// Nothing changed.
        case nothing
        /// The schedule was fired (or found stale): read again before sleeping.
        case progressed
        /// A buffered occurrence waits for this run to finish.
        case waiting(RunID)
        /// Fired, and a buffered occurrence waits for this run to finish.
        case progressedWaiting(RunID)
    }

    init(errand: Errand, configuration: SchedulerConfiguration) {
        self.errand = errand
        self.configuration = configuration
    }

    private var clock: any WallClock { errand.clock }
    private var logger: Logger { errand.logger }

    /// Reconciles, then fires due occurrences until graceful shutdown or cancellation.
    ///
    /// - Throws: ``ErrandError`` (`unsupported`) when the engine's store is not a
    ///   ``ScheduleStore``, or the store's error when the first reconciliation fails.
    public func run() async throws {
        try configuration.validate()
        let store = try errand.scheduleStore()
        errand.scheduling.register(wake)
        errand.election?.register(wake)
        if configuration.reconcilesDeclaredSchedules { try await reconcile() }
        let events = errand.events(.finalStatus())
        logger.info("scheduler started")
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in events { self.runFinished(event.runID) }
                }
                await self.loop(store)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.shutDown()
        }
        logger.info("scheduler stopped")
    }

    /// Stops the loop.
    public func shutDown() {
        state.withLock { $0.shuttingDown = true }
        wake.signal()
    }

    private var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Brings the declared schedules into the store: adds new keys, updates changed definitions
    /// (a changed expression, time zone or anchor gets a new next fire time, the first
    /// occurrence after now; other changes keep it), and deletes declared schedules whose key
    /// is no longer declared. Schedules created at run time are never touched, except one whose
    /// key a declaration uses: it becomes that declared schedule. The pause flag and the firing
    /// state (last occurrence, last run, buffered occurrence) of an existing schedule are kept.
    /// Returns what happened to each declared schedule and the deleted ones.
    @discardableResult
    public func reconcile() async throws -> (results: [ScheduleUpsertResult], removed: [Schedule]) {
        let store = try errand.scheduleStore()
        let (declared, generation) = errand.scheduling.snapshot
        let now = clock.now
        var records: [Schedule] = []
        for definition in declared {
            var record = try definition.record(now: now, declared: true, id: Schedule.generateID(at: now))
            if let existing = try await store.schedule(key: record.key) {
                record.id = existing.id
                record.createdAt = existing.createdAt
                record.nextFireAt = try record.parsedExpression().next(after: now, anchor: record.anchor ?? existing.createdAt)
            }
            records.append(record)
        }
        let results = try await store.upsertSchedules(records, onConflict: .updateDefinition, now: now)
        let removed = try await store.deleteDeclaredSchedules(except: Set(records.map(\.key)))
        state.withLock { $0.reconciledGeneration = max($0.reconciledGeneration, generation) }
        let count = { (outcome: ScheduleUpsertResult.Outcome) in results.filter { $0.outcome == outcome }.count }
        logger.info(
            "declared schedules reconciled",
            metadata: [
                "added": "\(count(.created))", "changed": "\(count(.updated))", "unchanged": "\(count(.unchanged))",
                "removed": "\(removed.count)",
            ]
        )
        return (results, removed)
    }

    /// The scheduler's loop.
    private func loop(_ store: any ScheduleStore) async {
        var spins = 0
        while !isShuttingDown && !Task.isCancelled {
            if let election = errand.election, !election.isLeader {
                // Another process leads: wait for a change of leadership (or shutdown).
                await wake.wait()
                continue
            }
            if configuration.reconcilesDeclaredSchedules,
               errand.scheduling.generation != state.withLock({ $0.reconciledGeneration }) {
                do {
                    try await reconcile()
                } catch {
                    logger.error("reconciling declared schedules failed", metadata: ["error": "\(error)"])
                }
            }
            let progressed: Bool
            do {
                progressed = try await tick(store)
            } catch {
                logger.error("firing schedules failed", metadata: ["error": "\(error)"])
                await wake.wait(until: clock.now.adding(.seconds(1)), clock: clock)
                continue
            }
            let now = clock.now
            var deadline = now.adding(configuration.pollInterval)
            do {
                if let next = try await store.nextScheduleFireTime(), next < deadline { deadline = next }
            } catch {
                logger.error("reading the next fire time failed", metadata: ["error": "\(error)"])
            }
            if deadline <= clock.now {
                // Due work is left (a full batch, a lost compare-and-set): go again, but never spin
                // without progress.
                spins = progressed ? 0 : spins + 1
                if spins < 3 { continue }
                deadline = now.adding(configuration.pollInterval)
            }
            spins = 0
            await wake.wait(until: deadline, clock: clock)
        }
    }

    /// One pass over the due schedules. Returns whether anything was fired or found stale.
    private func tick(_ store: any ScheduleStore) async throws -> Bool {
        let now = clock.now
        let due = try await store.dueSchedules(now: now, limit: configuration.batchSize)
        var progressed = false
        var watched: Set<RunID> = []
        for item in due {
            switch try await handle(item, now: now, store) {
            case .nothing: break
            case .progressed: progressed = true
            case .waiting(let run): watched.insert(run)
            case .progressedWaiting(let run):
                progressed = true
                watched.insert(run)
            }
        }
        let finishedMeanwhile = state.withLock { state in
            state.watched = watched
            return !state.finished.isDisjoint(with: watched)
        }
        if finishedMeanwhile { wake.signal() }
        return progressed
    }

    /// Plans and fires one due schedule.
    private func handle(_ due: DueSchedule, now: Date, _ store: any ScheduleStore) async throws -> Handled {
        let schedule = due.schedule
        let plan: SchedulePlan
        do {
            let expression = try schedule.parsedExpression()
            guard let made = SchedulePlan.make(for: due, expression: expression, now: now, lateness: configuration.lateness) else {
                if due.lastRunIsUnfinished, schedule.bufferedOccurrenceAt != nil, let run = schedule.lastRunID {
                    return .waiting(run)
                }
                return .nothing
            }
            plan = made
        } catch {
            // A stored expression that no longer parses (a time zone gone from the system's
            // database): stop firing it rather than fail on every pass.
            logger.error(
                "schedule \(schedule.id) (\(schedule.key)) cannot be evaluated and stops firing; fix or delete it",
                metadata: ["error": "\(error)"]
            )
            plan = SchedulePlan(occurrences: [], nextFireAt: nil, lastOccurrenceAt: schedule.lastOccurrenceAt, bufferedOccurrenceAt: nil, dropped: 0)
        }
        let runs = plan.occurrences.map { errand.scheduledRun(of: schedule, at: $0, now: now) }
        let firing = ScheduleFiring(
            scheduleID: schedule.id, expectedNextFireAt: schedule.nextFireAt,
            expectedBufferedOccurrenceAt: schedule.bufferedOccurrenceAt, nextFireAt: plan.nextFireAt,
            lastOccurrenceAt: plan.lastOccurrenceAt, bufferedOccurrenceAt: plan.bufferedOccurrenceAt, runs: runs, now: now
        )
        switch try await store.fireSchedule(firing) {
        case .stale:
            return .progressed
        case .fired(let updated, let results):
            let created = zip(runs, results).filter { $0.1.created }.map(\.0)
            errand.scheduledRunsCreated(created, now: now)
            if plan.dropped > 0 {
                logger.info(
                    "schedule occurrences dropped by policy",
                    metadata: ["schedule": "\(schedule.id)", "key": "\(schedule.key)", "dropped": "\(plan.dropped)"]
                )
            }
            if updated.bufferedOccurrenceAt != nil, let run = updated.lastRunID { return .progressedWaiting(run) }
            return .progressed
        }
    }

    /// Notes a run that reached a final status, waking the loop when it was watched.
    private func runFinished(_ id: RunID) {
        let watched = state.withLock { state in
            if state.finished.insert(id).inserted {
                state.finishedOrder.append(id)
                if state.finishedOrder.count > 2048 {
                    for old in state.finishedOrder[..<1024] { state.finished.remove(old) }
                    state.finishedOrder.removeFirst(1024)
                }
            }
            return state.watched.contains(id)
        }
        if watched { wake.signal() }
    }
}

extension Errand {
    /// Makes a scheduler for this engine (run it in a `ServiceGroup`, or call `run()`). The
    /// engine's store must be a ``ScheduleStore``.
    public func scheduler(_ configuration: SchedulerConfiguration = SchedulerConfiguration()) -> Scheduler {
        Scheduler(errand: self, configuration: configuration)
    }
}
