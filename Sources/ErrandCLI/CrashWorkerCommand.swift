import ArgumentParser
import Errand
import ErrandSQLite
import Foundation
import ServiceLifecycle

/// `errand crash-worker` (hidden): the process the crash-recovery test kills. It triggers runs of
/// `crash-step` in batches while a worker executes them, logging each attempt's start and end to
/// a step file; with `--runs 0` it only works until every run in the database is final.
///
/// Output: `triggered <total>` on standard output after each batch commits, `finished <count>`
/// when every run is final. Step file lines: `start <run-id> <attempt>` when an attempt begins,
/// `done <run-id> <attempt>` just before it returns.
///
/// `--database` may be a PostgreSQL URL: then several of these processes share the work (the
/// multi-process test), and `--queue-limit` caps how many `crash-step` attempts run at once across
/// all of them.
///
/// With `--task steps` it runs `crash-steps` instead: three durable steps per run; step `n`'s
/// closure writes `ran <run-id> <n>` and, once the step's output is stored, the handler writes
/// `committed <run-id> <n>` (the durable-steps crash test).
struct CrashWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-worker",
        abstract: "Trigger and execute runs for the crash-recovery test.",
        shouldDisplay: false
    )

    /// The payload of `crash-step`.
    struct Step: Codable, Sendable {
        /// The run's position in the trigger order, from 0.
        var index: Int
    }

    @Option(help: "The database file or PostgreSQL URL.", transform: { try DatabaseOptions.path(from: $0) })
    var database: String

    @Option(help: "The concurrency limit of crash-step's queue, across every process (default: none).")
    var queueLimit: Int?

    @Option(help: "Attempts this process runs at once.")
    var concurrency = 8

    @Option(help: "How many runs to trigger (0: only work until every run is final).")
    var runs: Int

    @Option(help: "The file the attempts log their start and end to.")
    var stepFile: String

    @Option(help: "Runs per trigger batch.")
    var batchSize = 50

    @Option(help: "Give up (exit 1) when the runs are not all final after this many seconds.")
    var timeout = 120

    /// Which task the runs execute.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// `crash-step`: one sleep between a start and a done line.
        case attempts
        /// `crash-steps`: three durable steps.
        case steps
    }

    @Option(help: "The task the runs execute: attempts (crash-step) or steps (crash-steps, three durable steps).")
    var task: Kind = .attempts

    func validate() throws {
        guard runs >= 0 else { throw ValidationError("invalid --runs \(runs): must be 0 or more") }
        guard batchSize >= 1 else { throw ValidationError("invalid --batch-size \(batchSize): must be at least 1") }
        guard timeout >= 1 else { throw ValidationError("invalid --timeout \(timeout): must be at least 1 second") }
        if let queueLimit, queueLimit < 1 { throw ValidationError("invalid --queue-limit \(queueLimit): must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("invalid --concurrency \(concurrency): must be at least 1") }
    }

    func run() async throws {
        let options = try DatabaseOptions.parse(["--database", database])
        try await options.withStore { store in try await work(store) }
    }

    private func work(_ store: any CLIStore) async throws {
        guard let counting = store as? any RunCounting else { throw CLIError("the store cannot count runs") }
        let logger = CLIEngine.logger(level: .error)
        let errand = Errand(store: store, configuration: .init(logger: logger))
        let log = try StepLog(path: stepFile)
        let options = TaskOptions(
            retry: RetryPolicy(maxAttempts: 5, factor: 2, minDelay: .milliseconds(50), maxDelay: .seconds(1)),
            queue: QueueOptions(name: "crash", concurrency: queueLimit)
        )
        let task = switch self.task {
        case .attempts:
            TaskDefinition<Step, NoOutput>("crash-step", options: options) { _, context in
                try log.append("start \(context.runID) \(context.attempt)")
                try await Task.sleep(for: .milliseconds(Int.random(in: 2...10)))
                try log.append("done \(context.runID) \(context.attempt)")
                return NoOutput()
            }
        case .steps:
            TaskDefinition<Step, NoOutput>("crash-steps", options: options) { _, context in
                for number in 1...3 {
                    try await context.step("s\(number)") {
                        try log.append("ran \(context.runID) \(number)")
                        try await Task.sleep(for: .milliseconds(Int.random(in: 1...5)))
                    }
                    try log.append("committed \(context.runID) \(number)")
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...5)))
                }
                return NoOutput()
            }
        }
        try errand.register(task)

        let worker = errand.worker(WorkerConfiguration(
            concurrency: concurrency, leaseDuration: .seconds(2), heartbeatInterval: .milliseconds(500), pollInterval: .milliseconds(100),
            shutdownGracePeriod: .seconds(5)
        ))
        let maintenance = errand.maintenance(MaintenanceConfiguration(rescueInterval: .milliseconds(500)))
        let group = ServiceGroup(services: [maintenance, worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)

        let (runs, batchSize, timeout) = (self.runs, self.batchSize, self.timeout)
        let driver = Task<Bool, Never> {
            let succeeded = await Self.drive(errand: errand, task: task, store: counting, runs: runs, batchSize: batchSize, timeout: timeout)
            await group.triggerGracefulShutdown()
            return succeeded
        }
        try await group.run()
        driver.cancel()  // stopped by a signal before the runs were done: give up
        guard await driver.value else { throw ExitCode.failure }
    }

    /// Triggers `runs` runs in batches, printing `triggered <total>` after each, then waits until
    /// no run in the database is unfinished. Returns whether that happened within `timeout` seconds.
    private static func drive(
        errand: Errand, task: TaskDefinition<Step, NoOutput>, store: any RunCounting, runs: Int, batchSize: Int, timeout: Int
    ) async -> Bool {
        do {
            var triggered = 0
            while triggered < runs {
                let count = min(batchSize, runs - triggered)
                _ = try await errand.batchTrigger(task, (triggered..<triggered + count).map { Step(index: $0) })
                triggered += count
                Console.line("triggered \(triggered)")
            }
            let deadline = ContinuousClock.now + .seconds(timeout)
            while true {
                // A store error here (the database restarting) is waited out like unfinished runs.
                if let counts = try? await store.runCounts(), !counts.contains(where: { !$0.status.isFinal && $0.count > 0 }) {
                    Console.line("finished \(counts.reduce(0) { $0 + $1.count })")
                    return true
                }
                guard ContinuousClock.now < deadline else {
                    Console.error("error: runs still unfinished after \(timeout) s")
                    return false
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        } catch {
            Console.error("error: \(error)")
            return false
        }
    }
}
