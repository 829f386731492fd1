import Foundation
import Logging
import Synchronization

/// The engine: where tasks are registered, runs are triggered, inspected and controlled, and from
/// which workers and maintenance services are made.
///
/// ```swift
/// let store = try SQLiteRunStore(path: ".errand/errand.sqlite")
/// let errand = Errand(store: store)
/// try errand.register(resize)
/// let id = try await errand.trigger(resize, Resize(url: url), options: .init(after: .duration(10, .minute)))
/// let serviceGroup = ServiceGroup(services: [errand.worker(), errand.maintenance()], logger: logger)
/// try await serviceGroup.run()
/// ```
public final class Errand: Sendable {
    /// Where runs are kept.
    public let store: any RunStore
    /// The clock everything runs on.
    public let clock: any WallClock
    /// The configuration.
    public let configuration: Configuration

    let registry = Mutex<[String: AnyTask]>([:])
    let bus = RunEventBus()
    let localWorkers = Mutex<[WeakWorker]>([])
    let metrics = ErrandMetrics()
    /// Declared schedules and this process's schedulers (see `Errand+Schedules.swift`).
    let scheduling = ScheduleRegistry()
    let subscribing = Mutex<SubscriptionRegistry>(SubscriptionRegistry())
    /// The leader election the scheduler and maintenance follow (see `Errand+Leadership.swift`).
    let leadership = Mutex<LeaderElection?>(nil)

    /// Creates an engine on a store.
    public init(store: any RunStore, clock: any WallClock = SystemClock(), configuration: Configuration = Configuration()) {
        self.store = store
        self.clock = clock
        self.configuration = configuration
    }

    var logger: Logger { configuration.logger }

    // MARK: Tasks

    /// Registers a task. Throws when its name is empty, longer than 64 characters or already
    /// registered, or when an option is invalid.
    public func register<Payload, Output>(_ task: TaskDefinition<Payload, Output>) throws {
        try TaskName.validate(task.name)
        try task.options.validate()
        let erased = AnyTask(task)
        try registry.withLock { registry in
            guard registry[task.name] == nil else {
                throw ErrandError(
                    code: .duplicateTask,
                    message: "a task named \"\(task.name)\" is already registered: task names must be unique",
                    field: "name"
                )
            }
            registry[task.name] = erased
        }
    }

    /// The names of the registered tasks, sorted.
    public var taskNames: [String] { registry.withLock { $0.keys.sorted() } }

    /// The options of a registered task.
    public func options(ofTask name: String) -> TaskOptions? { registry.withLock { $0[name]?.options } }

    /// The queue a registered task's runs go to.
    public func queue(ofTask name: String) -> String? { registry.withLock { $0[name]?.queueName } }

    func task(named name: String) -> AnyTask? { registry.withLock { $0[name] } }

    /// The queues of the registered tasks with their limits, as declared to the store.
    var declaredQueues: [QueueConfig] {
        registry.withLock { registry in
            var queues: [String: QueueConfig] = [:]
            for task in registry.values {
                let existing = queues[task.queueName]?.concurrency
                let limit = [existing, task.options.queue.concurrency].compactMap { $0 }.min()
                queues[task.queueName] = QueueConfig(name: task.queueName, concurrency: limit)
            }
            return Array(queues.values)
        }
    }

    // MARK: Events

    /// A stream of the run events from now on that pass `filter` (every event by default):
    /// started, progress, completed, failed (with the error's type, name and message), canceled,
    /// crashed, …
    ///
    /// The filter is applied as events are published, so a narrow one
    /// (``RunEventFilter/finalStatus(of:)``) costs its subscriber nothing for the events it
    /// leaves out.
    public func events(_ filter: RunEventFilter = .all) -> AsyncStream<RunEvent> { bus.subscribe(filter) }

    func publish(_ event: RunEvent) {
        bus.publish(event)
    }

    // MARK: Workers

    /// Tells this process's idle workers that runs may be due.
    func wakeWorkers() {
        let workers = localWorkers.withLock { $0.compactMap(\.worker) }
        for worker in workers { worker.requestClaim() }
    }
}
