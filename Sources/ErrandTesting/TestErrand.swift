import Errand
import Foundation
import Synchronization

/// An ``Errand`` on an in-memory store and a ``VirtualClock``, with a worker and the maintenance
/// service running, for users' tests: trigger runs, skip time, and assert on outcomes without
/// sleeping.
///
/// ```swift
/// let test = try await TestErrand()
/// try test.errand.register(sendEmail)
/// try await test.start()
/// let id = try await test.errand.trigger(sendEmail, Email(to: "a@b.c"))
/// let run = try await test.runUntilFinished(id)   // skips virtual time through retries and delays
/// #expect(run.status == .completed)
/// ```
///
/// ``runUntilFinished(_:within:)`` skips time like Temporal's time-skipping test server: whenever
/// the system has settled and the run is not finished, the clock jumps to the next deadline
/// somebody sleeps until (a delayed run, a retry, a timeout, a handler's own sleep).
public final class TestErrand: Sendable {
    /// The virtual clock.
    public let clock: VirtualClock
    /// The store (in memory unless another is given).
    public let store: any RunStore
    /// The engine.
    public let errand: Errand
    /// The worker's settings.
    public let workerConfiguration: WorkerConfiguration
    /// The maintenance settings.
    public let maintenanceConfiguration: MaintenanceConfiguration
    /// The scheduler's settings; `nil` runs no scheduler.
    public let schedulerConfiguration: SchedulerConfiguration?
    private let running = Mutex<Task<Void, Never>?>(nil)
    private let eventCount = EventCounter()

    /// Creates the test engine. Nothing runs until ``start()``.
    public init(
        store: any RunStore = MemoryRunStore(), clock: VirtualClock = VirtualClock(),
        configuration: Errand.Configuration = Errand.Configuration(),
        worker: WorkerConfiguration = WorkerConfiguration(id: "test-worker", pollInterval: .seconds(3600)),
        maintenance: MaintenanceConfiguration = MaintenanceConfiguration(rescueInterval: .seconds(60), expiryInterval: .seconds(60), pruneInterval: .seconds(3600)),
        scheduler: SchedulerConfiguration? = nil
    ) {
        self.clock = clock
        self.store = store
        var configuration = configuration
        if configuration.logger.logLevel < .warning { configuration.logger.logLevel = .warning }
        self.errand = Errand(store: store, clock: clock, configuration: configuration)
        self.workerConfiguration = worker
        self.maintenanceConfiguration = maintenance
        self.schedulerConfiguration = scheduler
    }

    /// Starts the worker, the maintenance service, the engine's leader election (when one was made
    /// with ``Errand/Errand/leaderElection(_:)``) and (when configured) the scheduler in the
    /// background. For schedules, give a ``SchedulerConfiguration`` with a long poll interval
    /// (time only moves when the test moves it), for example
    /// `SchedulerConfiguration(pollInterval: .seconds(3600))`.
    public func start() async throws {
        let worker = errand.worker(workerConfiguration)
        let maintenance = errand.maintenance(maintenanceConfiguration)
        let scheduler = schedulerConfiguration.map { errand.scheduler($0) }
        let election = errand.election
        let events = errand.events()
        let counter = eventCount
        let task = Task { [worker, maintenance, scheduler, election, events] in
            await withTaskGroup(of: Void.self) { group in
                if let election { group.addTask { try? await election.run() } }
                group.addTask { try? await worker.run() }
                group.addTask { try? await maintenance.run() }
                if let scheduler {
                    group.addTask {
                        do {
                            try await scheduler.run()
                        } catch {
                            FileHandle.standardError.write(Data("TestErrand: the scheduler stopped: \(error)\n".utf8))
                        }
                    }
                }
                group.addTask { for await _ in events { counter.increment() } }
            }
        }
        running.withLock { $0 = task }
        await settle()
    }

    /// Stops everything started by ``start()``.
    public func stop() async {
        let task = running.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    /// Waits until nothing happens any more without the clock moving: every task is asleep on the
    /// clock or idle, and every sleeper the clock woke has run again. Uses short real-time pauses
    /// to let other tasks run; no assertion depends on them.
    public func settle() async {
        var stableRounds = 0
        var last = (clock.activity, eventCount.value)
        for _ in 0..<2000 {
            for _ in 0..<20 { await Task.yield() }
            try? await Task.sleep(for: .microseconds(500))
            let current = (clock.activity, eventCount.value)
            if current == last && clock.pendingWakeups == 0 {
                stableRounds += 1
                if stableRounds >= 4 { return }
            } else {
                stableRounds = 0
                last = current
            }
        }
    }

    /// Settles, then moves the clock by `duration`, then settles again.
    public func advance(by duration: Duration) async {
        await settle()
        clock.advance(by: duration)
        await settle()
    }

    /// Lets the run go to a final status, skipping virtual time to the next deadline whenever the
    /// system is idle, for at most `limit` of virtual time. Returns the finished run; throws when it
    /// did not finish in time.
    @discardableResult
    public func runUntilFinished(_ id: RunID, within limit: Duration = .seconds(30 * 24 * 3600)) async throws -> RunRecord {
        try await runUntil(id, within: limit) { $0.status.isFinal }
    }

    /// Like ``runUntilFinished(_:within:)``, until the run satisfies `condition`.
    @discardableResult
    public func runUntil(_ id: RunID, within limit: Duration = .seconds(30 * 24 * 3600), _ condition: (RunRecord) -> Bool) async throws -> RunRecord {
        let end = clock.now.adding(limit)
        for step in 0... {
            await settle()
            guard let record = try await errand.state(id) else { throw ErrandError.runNotFound(id) }
            if condition(record) { return record }
            guard let next = clock.nextDeadline, next <= end, step < 10_000 else {
                throw ErrandError(
                    code: .invalidState,
                    message: "run \(id) is \(record.status.rawValue) after \(step) time steps (virtual time \(clock.now), next deadline \(clock.nextDeadline.map { "\($0)" } ?? "none")); nothing moved it within \(limit) of virtual time"
                )
            }
            clock.advance(to: next)
        }
        fatalError("unreachable")
    }
}

/// Counts run events, so ``TestErrand`` can tell when the system has settled.
private final class EventCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
