import Errand
import ErrandTesting
import Foundation
import Synchronization
import Testing

/// The virtual clock's start, 2026-01-01T00:00:00Z.
let schedulerT0 = Date(timeIntervalSince1970: 1_767_225_600)

/// `schedulerT0` plus some seconds.
func minute(_ minutes: Double) -> Date { schedulerT0.addingTimeInterval(minutes * 60) }

/// A scheduler for virtual time: it only wakes for fire times and signals, never to poll.
let virtualScheduler = SchedulerConfiguration(pollInterval: .seconds(30 * 24 * 3600))

/// A task that returns at once.
let tick = TaskDefinition<Greeting, Reply>("tick", options: TaskOptions(retry: .none)) { payload, _ in Reply(text: payload.name) }

/// A test engine with a scheduler, on a shared store and clock if given. Its leases last a day:
/// the tests jump the clock by minutes while a gated run executes, and a jump past a 30 s lease
/// raced the heartbeat against the rescue, which could mark the run crashed.
func schedulerTest(store: MemoryRunStore = MemoryRunStore(), clock: VirtualClock = VirtualClock(), id: String = "test-worker") -> TestErrand {
    TestErrand(
        store: store, clock: clock,
        worker: WorkerConfiguration(
            id: id, leaseDuration: .seconds(24 * 3600), heartbeatInterval: .seconds(3600), pollInterval: .seconds(30 * 24 * 3600)
        ),
        scheduler: virtualScheduler
    )
}

/// A one-shot gate handlers wait on until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// A task whose runs wait for a gate (with a timeout far beyond the tests' virtual time).
func gatedTask(_ gate: Gate) -> TaskDefinition<Greeting, Reply> {
    TaskDefinition("slow", options: TaskOptions(timeout: .seconds(30 * 24 * 3600), retry: .none)) { payload, _ in
        await gate.wait()
        return Reply(text: payload.name)
    }
}

/// The JSON payload of `Greeting(name:)`.
func greeting(_ name: String) -> Data { Data(#"{"name":"\#(name)"}"#.utf8) }

extension RunStore {
    /// Every run of a task, oldest first.
    func runs(ofTask task: String) async throws -> [RunRecord] {
        try await listRuns(RunQuery(task: task, limit: 1000)).runs.reversed()
    }

    /// The occurrence times of a task's runs, in minutes after `schedulerT0`, oldest first.
    func occurrenceMinutes(ofTask task: String) async throws -> [Double] {
        try await runs(ofTask: task).map { ($0.occurrenceAt ?? .distantPast).timeIntervalSince(schedulerT0) / 60 }
    }
}

/// A store that keeps runs but no schedules; with a `completionGate`, attempt outcomes are written
/// only once the gate opens. It counts the claims made of it.
struct RunOnlyStore: RunStore {
    let base = MemoryRunStore()
    var completionGate: Gate?
    private let claimRequests = Recorder<ClaimRequest>()
    /// How many claims were made so far.
    var claims: Int { claimRequests.all.count }
    func insertRuns(_ runs: [NewRun], now: Date) async throws -> [InsertResult] { try await base.insertRuns(runs, now: now) }
    func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord] {
        claimRequests.append(request)
        return try await base.claimRuns(request)
    }
    func claimRunsWithOutcome(_ request: ClaimRequest) async throws -> ClaimOutcome {
        claimRequests.append(request)
        return try await base.claimRunsWithOutcome(request)
    }
    func heartbeat(runs: [RunID], workerID: String, leaseUntil: Date, now: Date) async throws -> HeartbeatResult {
        try await base.heartbeat(runs: runs, workerID: workerID, leaseUntil: leaseUntil, now: now)
    }
    func completeAttempts(_ completions: [AttemptCompletion]) async throws -> [RunRecord?] {
        await completionGate?.wait()
        return try await base.completeAttempts(completions)
    }
    func updateProgress(runID: RunID, attempt: Int, message: String?, percent: Double?, now: Date) async throws -> Bool {
        try await base.updateProgress(runID: runID, attempt: attempt, message: message, percent: percent, now: now)
    }
    func run(id: RunID) async throws -> RunRecord? { try await base.run(id: id) }
    func listRuns(_ query: RunQuery) async throws -> RunPage { try await base.listRuns(query) }
    func cancelRun(id: RunID, now: Date) async throws -> CancelResult { try await base.cancelRun(id: id, now: now) }
    func expiredLeases(now: Date, limit: Int) async throws -> [RunRecord] { try await base.expiredLeases(now: now, limit: limit) }
    func expireRuns(now: Date, limit: Int) async throws -> [RunRecord] { try await base.expireRuns(now: now, limit: limit) }
    func pruneRuns(finishedBefore cutoffs: [RunStatus: Date], limit: Int) async throws -> Int {
        try await base.pruneRuns(finishedBefore: cutoffs, limit: limit)
    }
    func nextDueTime(queues: Set<String>?) async throws -> Date? { try await base.nextDueTime(queues: queues) }
    func upsertQueues(_ queues: [QueueConfig]) async throws { try await base.upsertQueues(queues) }
    func setQueuePaused(_ name: String, paused: Bool) async throws { try await base.setQueuePaused(name, paused: paused) }
    func createMissingQueues(_ names: [String]) async throws { try await base.createMissingQueues(names) }
    func queueStates() async throws -> [QueueState] { try await base.queueStates() }
    func steps(runID: RunID) async throws -> [StepRecord] { try await base.steps(runID: runID) }
    func saveStep(_ step: StepRecord, runID: RunID, attempt: Int) async throws -> Bool {
        try await base.saveStep(step, runID: runID, attempt: attempt)
    }
    func createToken(_ token: WaitToken) async throws -> WaitToken { try await base.createToken(token) }
    func token(id: String) async throws -> WaitToken? { try await base.token(id: id) }
    func resolveToken(id: String, resolution: TokenResolution, now: Date) async throws -> TokenResolveResult {
        try await base.resolveToken(id: id, resolution: resolution, now: now)
    }
    func publishEvent(_ event: EventRecord, runs: [NewRun], now: Date) async throws -> PublishResult {
        try await base.publishEvent(event, runs: runs, now: now)
    }
    func event(id: String) async throws -> EventRecord? { try await base.event(id: id) }
    func listEvents(_ query: EventQuery) async throws -> EventPage { try await base.listEvents(query) }
    func replaceSubscriptions(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>) async throws {
        try await base.replaceSubscriptions(subscriptions, forTasks: tasks)
    }
    func subscriptions() async throws -> [EventSubscription] { try await base.subscriptions() }
    func appendLogs(_ lines: [RunLogLine]) async throws { try await base.appendLogs(lines) }
    func logs(runID: RunID, after index: Int, limit: Int) async throws -> [RunLogLine] {
        try await base.logs(runID: runID, after: index, limit: limit)
    }
}

extension TestErrand {
    /// Starts, then settles until the scheduler handled everything due (see ``settleSchedules()``).
    func startScheduling() async throws {
        try await start()
        try await settleSchedules()
    }

    /// Settles until no schedule has work left at the clock's time (every due occurrence handled,
    /// no buffered occurrence whose previous run finished), then settles again for the workers.
    /// `settle()` alone only watches the clock and run events, so a scheduler busy computing a
    /// large catch-up on a loaded machine could look idle.
    func settleSchedules() async throws {
        let schedules = try #require(store as? any ScheduleStore)
        for _ in 0..<2_000 {
            await settle()
            let now = clock.now
            let pending = try await schedules.dueSchedules(now: now, limit: 1000).filter { due in
                (due.schedule.nextFireAt.map { $0 <= now } ?? false)
                    || (due.schedule.bufferedOccurrenceAt != nil && !due.lastRunIsUnfinished)
            }
            if pending.isEmpty {
                await settle()
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("the scheduler did not handle the due schedules")
    }

    /// Settles, moves the clock, and settles the schedules.
    func advanceSchedules(by duration: Duration) async throws {
        await settle()
        clock.advance(by: duration)
        try await settleSchedules()
    }
}
