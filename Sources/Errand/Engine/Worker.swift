import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Claims due runs from the store and executes their attempts, as a swift-service-lifecycle
/// `Service`.
///
/// A dispatcher claims runs in batches for its free slots (honouring priority, start time and
/// queue limits, which the store applies), each attempt runs as a child task, leases are renewed by
/// a heartbeat, and outcomes are written in batches. On graceful shutdown the worker stops
/// claiming, lets in-flight attempts finish within ``WorkerConfiguration/shutdownGracePeriod``, then
/// cancels them (they are retried). `run()` returns when every claimed attempt has been recorded.
public final class Worker: Service, Sendable {
    /// The settings.
    public let configuration: WorkerConfiguration
    let errand: Errand
    let writer: OutcomeWriter
    let deadlines = AttemptDeadlines()
    let wake = WakeSignal()
    /// Wakes the heartbeat loop when work starts or the worker stops.
    let heartbeatSignal = WakeSignal()
    let state = Mutex(State())
    /// The queues claimed from, fixed when `run()` starts.
    let queues = Mutex<Set<String>?>(nil)

    struct State {
        var inFlight: [RunID: AttemptControl] = [:]
        /// The slots the in-flight attempts take (their runs' cost). An attempt that gave its slot
        /// back while its outcome is written (``Worker/releaseSlot(_:control:)``) has no entry.
        var costs: [RunID: Int] = [:]
        var usedSlots = 0
        /// Earlier attempts of runs this worker claimed again while those attempts still ran
        /// (their lease lapsed, or a claim that did not wait for the disk was lost with the
        /// database), by attempt, with the slots they still take (0 once given back):
        /// ``Worker/claimedAgain(_:of:_:)``. Shutdown waits for them too.
        var superseded: [ObjectIdentifier: Int] = [:]
        /// In-flight attempts that gave their slot back and wait for their outcome to be written.
        var recording: Int { inFlight.count - costs.count }
        var shuttingDown = false
        var stopped = false
        /// Something may have made runs claimable (runs triggered, woken, rescued, or an attempt
        /// that ends in a due state): the dispatcher claims at its next turn (``Worker/requestClaim()``).
        var claimRequested = true
        /// The last claim took fewer runs than it asked for and left none behind
        /// (``ClaimOutcome/mayHaveHeldBack`` was `false`): until a claim is requested or the idle
        /// wait's deadline passes, another claim would find nothing, so an attempt that ends does
        /// not prompt one.
        var lastClaimLeftNothing = false
    }

    init(errand: Errand, configuration: WorkerConfiguration) {
        self.errand = errand
        self.configuration = configuration
        self.writer = OutcomeWriter(store: errand.store, logger: errand.logger, concurrentBatches: configuration.outcomeWriters)
    }

    var store: any RunStore { errand.store }
    var clock: any WallClock { errand.clock }
    var logger: Logger { errand.logger }

    /// How many attempts are executing in this worker.
    public var inFlightCount: Int { state.withLock { $0.inFlight.count } }

    /// Runs the worker until graceful shutdown (or cancellation).
    public func run() async throws {
        try configuration.validate()
        let declared = errand.declaredQueues
        try await store.upsertQueues(declared)
        try await errand.storeDeclaredSubscriptions()
        let queues = configuration.queues ?? Set(declared.map(\.name))
        // Queues named in the configuration that no task here declares get settings too (no
        // limit, unless another process declared one), so limit and pause changes are ordered
        // against this worker's claims of them as of its declared queues.
        let undeclared = queues.subtracting(declared.map(\.name))
        if !undeclared.isEmpty { try await store.createMissingQueues(undeclared.sorted()) }
        self.queues.withLock { $0 = queues }
        logger.info("worker started", metadata: ["worker": "\(configuration.id)", "concurrency": "\(configuration.concurrency)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.writer.run() }
                group.addTask { await self.heartbeatLoop() }
                group.addTask { await self.deadlines.run(clock: self.clock) }
                if let feed = self.store as? any RunStoreChangeFeed {
                    group.addTask {
                        for await _ in feed.changes() { self.requestClaim() }
                    }
                }
                await self.dispatch(into: &group)
                await self.drainInFlight()
                self.state.withLock { $0.stopped = true }
                self.heartbeatSignal.signal()
                self.deadlines.stop()
                self.writer.finish()
                group.cancelAll()  // ends the change feed; the writer still flushes what is queued
            }
        } onGracefulShutdown: {
            self.shutDown()
        }
        logger.info("worker stopped", metadata: ["worker": "\(configuration.id)"])
    }

    /// Stops claiming; in-flight attempts get the grace period.
    public func shutDown() {
        state.withLock { $0.shuttingDown = true }
        wake.signal()
    }

    private var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    private var claimQueues: Set<String>? { queues.withLock { $0 } }

    /// The dispatcher: claims while there are free slots and due runs, otherwise waits for a
    /// wake-up, the next due time, or the poll interval.
    ///
    /// An idle dispatcher claims again when woken only when a claim may find something: a claim
    /// was requested (``requestClaim()``: runs triggered in this process or announced by the
    /// store's change feed, woken parents, rescued runs, an attempt that ended in a due state),
    /// the last claim may have left runs behind (a queue limit or the slots held them back, so
    /// an attempt that ends may let them in), or the wait's deadline passed. So an attempt that
    /// ends while nothing else is due costs no claim and no next-due read.
    private func dispatch(into group: inout DiscardingTaskGroup) async {
        let batch = configuration.claimBatchSize
        // When the idle dispatcher claims anyway: the poll interval, or the next due time.
        var deadline: Date?
        while !isShuttingDown && !Task.isCancelled {
            let (inFlight, used, wanted) = state.withLock { state in
                (state.inFlight.count, state.usedSlots, state.claimRequested || !state.lastClaimLeftNothing)
            }
            let free = configuration.concurrency - used
            if waitsForSlots(free: free, inFlight: inFlight) {
                await wake.wait()
                continue
            }
            if !wanted, let deadline, clock.now < deadline {
                await wake.wait(until: deadline, clock: clock)
                continue
            }
            state.withLock { $0.claimRequested = false }
            let limit = min(free, batch)
            let now = clock.now
            let outcome: ClaimOutcome
            do {
                outcome = try await store.claimRunsWithOutcome(ClaimRequest(
                    workerID: configuration.id, queues: claimQueues, limit: limit, now: now,
                    leaseUntil: now.adding(configuration.leaseDuration), labels: configuration.labels, slots: free
                ))
            } catch {
                logger.error("claiming runs failed", metadata: ["error": "\(error)"])
                state.withLock { $0.claimRequested = true }
                await wake.wait(until: clock.now.adding(.seconds(1)), clock: clock)
                continue
            }
            let runs = outcome.runs
            for run in runs {
                let task = errand.task(named: run.task)
                let control = makeControl(for: run, task: task)
                let earlier = state.withLock { state -> AttemptControl? in
                    let earlier = state.inFlight[run.id]
                    if let earlier { claimedAgain(earlier, of: run.id, &state) }
                    state.inFlight[run.id] = control
                    state.costs[run.id] = run.cost
                    state.usedSlots += run.cost
                    return earlier
                }
                if let earlier, earlier.interrupt(.leaseLost) {
                    logger.warning("claimed a run whose earlier attempt still ran here; stopped that attempt", metadata: ["run": "\(run.id)"])
                }
                group.addTask { await self.execute(run, task: task, control: control) }
            }
            if !runs.isEmpty { heartbeatSignal.signal() }
            var leftNothing = runs.count < limit && !outcome.mayHaveHeldBack
            if runs.count == limit {
                state.withLock { $0.lastClaimLeftNothing = false }
                continue
            }
            var next = now.adding(configuration.pollInterval)
            do {
                if let due = try await store.nextDueTime(queues: claimQueues), due < next {
                    if due > now {
                        next = due
                    } else {
                        // A run due already that the claim did not promote: another claim, made
                        // at the same moment, holds it (it skipped rows locked by others). Look
                        // again shortly, and after any attempt that ends.
                        leftNothing = false
                        next = min(next, now.adding(Self.lockedDueRetry))
                    }
                }
            } catch {
                logger.error("reading the next due time failed; polling", metadata: ["error": "\(error)"])
            }
            state.withLock { $0.lastClaimLeftNothing = leftNothing }
            deadline = next
            if next > clock.now { await wake.wait(until: next, clock: clock) }
        }
    }

    /// How soon an idle dispatcher claims again when a run was due but another claim held it.
    static let lockedDueRetry: Duration = .milliseconds(50)

    /// Asks the dispatcher to claim at its next turn, and wakes it: runs may have become claimable.
    func requestClaim() {
        state.withLock { $0.claimRequested = true }
        wake.signal()
    }

    /// Whether the dispatcher waits for slots rather than claiming: none is free, or attempts are
    /// in flight and fewer than a quarter of a claim batch is free (so a busy worker makes few,
    /// large claims rather than one per finished attempt).
    private func waitsForSlots(free: Int, inFlight: Int) -> Bool {
        free <= 0 || (inFlight > 0 && free < max(1, min(configuration.claimBatchSize, configuration.concurrency) / 4))
    }

    /// Waits for in-flight attempts, cancelling them once the grace period is over (at once when
    /// the worker's task is cancelled).
    private func drainInFlight() async {
        guard attemptsRunning > 0 else { return }
        let deadline = clock.now.adding(configuration.shutdownGracePeriod)
        while attemptsRunning > 0, clock.now < deadline, !Task.isCancelled {
            await wake.wait(until: deadline, clock: clock)
        }
        let controls = state.withLock { Array($0.inFlight.values) }
        if !controls.isEmpty {
            logger.warning("stopping \(controls.count) attempt(s) still running at shutdown; they will be retried")
            for control in controls { control.interrupt(.shutdown) }
        }
        while attemptsRunning > 0 { await wake.waitIgnoringCancellation() }
    }

    /// The attempts whose `execute` has not returned: in flight, and superseded ones winding
    /// down (which may still submit an outcome, so the outcome writer must outlive them).
    private var attemptsRunning: Int { state.withLock { $0.inFlight.count + $0.superseded.count } }

    /// Renews the leases of in-flight attempts, and stops those that were canceled or lost. Sleeps
    /// without a timer while nothing is in flight.
    private func heartbeatLoop() async {
        while !Task.isCancelled {
            let (controls, stopped) = state.withLock { ($0.inFlight, $0.stopped) }
            if stopped { return }
            if controls.isEmpty {
                await heartbeatSignal.wait()
                continue
            }
            let next = clock.now.adding(configuration.heartbeatInterval)
            while clock.now < next, !Task.isCancelled {
                await heartbeatSignal.wait(until: next, clock: clock)
                if state.withLock({ $0.stopped }) { return }
            }
            let current = state.withLock { $0.inFlight }
            guard !current.isEmpty else { continue }
            let now = clock.now
            do {
                let result = try await store.heartbeat(
                    runs: Array(current.keys), workerID: configuration.id,
                    leaseUntil: now.adding(configuration.leaseDuration), now: now
                )
                for id in result.cancelRequested { current[id]?.interrupt(.canceled) }
                for id in result.lost { current[id]?.interrupt(.leaseLost) }
            } catch {
                logger.error("heartbeat failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Interrupts an attempt of this worker, if it runs one for the run. Returns whether it did.
    func interrupt(_ id: RunID, reason: Interruption) -> Bool {
        guard let control = state.withLock({ $0.inFlight[id] }) else { return false }
        control.interrupt(reason)
        return true
    }

    /// An attempt of this worker ended and its outcome is written (or abandoned).
    func finished(_ id: RunID, control: AttemptControl) {
        state.withLock { state in
            guard state.inFlight[id] === control else {
                state.usedSlots -= state.superseded.removeValue(forKey: ObjectIdentifier(control)) ?? 0
                return
            }
            state.inFlight.removeValue(forKey: id)
            state.usedSlots -= state.costs.removeValue(forKey: id) ?? 0
        }
        wake.signal()
    }

    /// The worker claimed a run again while `earlier`, an attempt of it, is still in flight here:
    /// its outcome was recorded and it is winding down (a retry due at once), or the store gave
    /// the run up while it ran (its lease lapsed and it was rescued, or a claim that did not wait
    /// for the disk was lost with the database). The new attempt takes the run's entries; the
    /// earlier one keeps its slot, under its own identity, until it returns. The caller
    /// interrupts it as having lost its lease, which stops it if it still runs (it can no longer
    /// record an outcome).
    private func claimedAgain(_ earlier: AttemptControl, of id: RunID, _ state: inout State) {
        state.superseded[ObjectIdentifier(earlier)] = state.costs.removeValue(forKey: id) ?? 0
    }

    /// Gives the slot of an attempt whose handler has returned back before its outcome is
    /// written, so the dispatcher can claim the next run while the outcome waits for its batch
    /// (the outcome writer's commit no longer holds a slot). The attempt stays in flight (its
    /// lease is still renewed) until ``finished(_:control:)``. At most ``WorkerConfiguration/concurrency``
    /// attempts are recording at once; past that the slot is kept, which holds claiming back
    /// when outcomes are written more slowly than handlers finish.
    func releaseSlot(_ id: RunID, control: AttemptControl) {
        let wakeDispatcher = state.withLock { state -> Bool in
            guard state.inFlight[id] === control else { return false }
            guard state.recording < configuration.concurrency, let cost = state.costs.removeValue(forKey: id) else { return false }
            // Only a dispatcher waiting for slots needs the news: an idle one has claimed all that
            // was due (a claim now would find nothing and, on SQLite, take the write lock).
            let waiting = waitsForSlots(free: configuration.concurrency - state.usedSlots, inFlight: state.inFlight.count)
            state.usedSlots -= cost
            return waiting
        }
        if wakeDispatcher { wake.signal() }
    }
}

extension Errand {
    /// Makes a worker for this engine (run it in a `ServiceGroup`, or call `run()`).
    public func worker(_ configuration: WorkerConfiguration = WorkerConfiguration()) -> Worker {
        let worker = Worker(errand: self, configuration: configuration)
        localWorkers.withLock { $0.append(WeakWorker(worker: worker)) }
        return worker
    }

    /// Stops the attempt of an executing run if a worker of this process holds it.
    func interruptLocalAttempt(_ id: RunID, reason: Interruption) {
        let workers = localWorkers.withLock { list in
            list.removeAll { $0.worker == nil }
            return list.compactMap(\.worker)
        }
        for worker in workers where worker.interrupt(id, reason: reason) { return }
    }
}

struct WeakWorker: Sendable {
    weak var worker: Worker?
}
