import Errand
import ErrandPostgres
import ErrandSQLite
import Foundation
import Logging
import Synchronization

/// The payload of benchmark runs: an index, and for the latency phase the wall-clock time the
/// producer triggered it.
struct BenchPayload: Codable, Sendable {
    var i: Int
    var t0: Double?
}

/// The benchmark phases. Each runs in a process of its own (see ``BenchPhaseCommand``).
struct BenchPhaseRunner: Sendable {
    let settings: BenchSettings

    static let taskName = "bench-noop"

    /// Untimed: empties the tables and settles the storage, before each phase (see
    /// ``BenchStore/resetForBench()``).
    static func reset(_ settings: BenchSettings) async throws {
        try await settings.withStore { store in try await store.resetForBench() }
    }

    func makeErrand(store: any BenchStore, handler: @escaping @Sendable (BenchPayload, RunContext) async throws -> NoOutput = { _, _ in NoOutput() }) throws -> (Errand, TaskDefinition<BenchPayload, NoOutput>) {
        var logger = Logger(label: "errand.bench")
        logger.logLevel = .warning
        let errand = Errand(store: store, configuration: .init(retention: [:], logger: logger))
        let task = TaskDefinition<BenchPayload, NoOutput>(Self.taskName, options: TaskOptions(retry: .none), handler: handler)
        try errand.register(task)
        return (errand, task)
    }

    func workerConfiguration() -> WorkerConfiguration {
        WorkerConfiguration(id: "bench", concurrency: settings.concurrency, claimBatchSize: settings.concurrency)
    }

    func enqueueSingle() async throws -> [BenchFigure] {
        try await settings.withStore { store in
            let (errand, task) = try makeErrand(store: store)
            let start = ContinuousClock.now
            for index in 0..<settings.single {
                try await errand.trigger(task, BenchPayload(i: index))
            }
            let elapsed = ContinuousClock.now - start
            writeLine("# enqueue_single: \(settings.single) runs in \(format(elapsed)); errand.trigger, one durable commit per call")
            return [BenchFigure(name: "enqueue_single", value: Double(settings.single) / elapsed.timeInterval, unit: "jobs/s")]
        }
    }

    func enqueueBatch() async throws -> [BenchFigure] {
        try await settings.withStore { store in
            let (errand, task) = try makeErrand(store: store)
            let batches = max(1, settings.batchJobs / settings.batchSize)
            let payloads = (0..<settings.batchSize).map { BenchPayload(i: $0) }
            let start = ContinuousClock.now
            for _ in 0..<batches {
                try await errand.batchTrigger(task, payloads)
            }
            let elapsed = ContinuousClock.now - start
            let total = batches * settings.batchSize
            writeLine("# enqueue_batch: \(total) runs in \(format(elapsed)); errand.batchTrigger of \(settings.batchSize), one commit per call")
            return [BenchFigure(name: "enqueue_batch", value: Double(total) / elapsed.timeInterval, unit: "jobs/s")]
        }
    }

    /// The peer harness's drain: `jobs` ready runs, then the clock runs from just before the
    /// worker starts to the moment the last handler call begins.
    func drain() async throws -> [BenchFigure] {
        try await settings.withStore(durability: .off) { store in try await fill(store, count: settings.jobs) }
        return try await settings.withStore { store in
            try await openConnections(store)
            let counter = BenchCounter(target: settings.jobs)
            let (errand, _) = try makeErrand(store: store) { _, _ in
                counter.increment()
                return NoOutput()
            }
            let worker = errand.worker(workerConfiguration())
            let start = ContinuousClock.now
            let running = Task { try await worker.run() }
            await counter.waitForTarget()
            let elapsed = ContinuousClock.now - start
            worker.shutDown()
            try await running.value
            writeLine("# drain: \(settings.jobs) runs in \(format(elapsed)); 1 worker, concurrency \(settings.concurrency), claim batch \(settings.concurrency); load1 \(load1())")
            return [BenchFigure(name: "drain", value: Double(settings.jobs) / elapsed.timeInterval, unit: "jobs/s")]
        }
    }

    /// Inserts `count` ready runs, untimed, in batches (on SQLite over a non-synced connection,
    /// as the harness does), then settles the storage.
    private func fill(_ store: any BenchStore, count: Int) async throws {
        let (errand, task) = try makeErrand(store: store)
        var index = 0
        while index < count {
            let size = min(settings.batchSize, count - index)
            try await errand.batchTrigger(task, (index..<(index + size)).map { BenchPayload(i: $0) })
            index += size
        }
        try await store.settleForBench()
    }

    /// Trigger, claim, execute and complete at the same time, every write durable: runs per second
    /// from the first trigger to the last recorded outcome.
    func endToEnd() async throws -> [BenchFigure] {
        try await settings.withStore { store in
            try await openConnections(store)
            let (errand, task) = try makeErrand(store: store)
            let events = errand.events()
            let worker = errand.worker(workerConfiguration())
            let running = Task { try await worker.run() }
            try await Task.sleep(for: .milliseconds(200))
            let total = settings.jobs
            let start = ContinuousClock.now
            let producer = Task { try await triggerInBatches(errand, task, total: total) }
            var completed = 0
            for await event in events where event.kind == .completed {
                completed += 1
                if completed == total { break }
            }
            let elapsed = ContinuousClock.now - start
            try await producer.value
            worker.shutDown()
            try await running.value
            writeLine("# e2e: \(total) runs triggered in batches of \(settings.batchSize) while 1 worker (concurrency \(settings.concurrency)) executes them; \(format(elapsed)) to the last durable outcome; load1 \(load1())")
            return [BenchFigure(name: "e2e", value: Double(total) / elapsed.timeInterval, unit: "runs/s")]
        }
    }

    /// The latency worker: starts, waits 0.1 s, says "ready", records `now − t0` for each run.
    func latencyWorker() async throws -> [BenchFigure] {
        try await settings.withStore { store in
            let samples = LatencySamples(target: settings.latencyJobs)
            let (errand, _) = try makeErrand(store: store) { payload, _ in
                samples.add((Date().timeIntervalSince1970 - (payload.t0 ?? 0)) * 1000)
                return NoOutput()
            }
            let configuration = WorkerConfiguration(id: "bench-latency", concurrency: 10)
            let worker = errand.worker(configuration)
            let running = Task { try await worker.run() }
            try await Task.sleep(for: .milliseconds(100))
            writeLine("ready")
            let values = await samples.waitForTarget()
            worker.shutDown()
            try await running.value
            let wake = settings.isPostgres ? "LISTEN/NOTIFY (the store's change feed)" : "inotify on the WAL"
            let spread = String(
                format: "p90 %.1f ms, max %.1f ms, mean %.1f ms, %d over 100 ms", Percentile.of(values, 90), values.max() ?? 0,
                values.reduce(0, +) / Double(max(1, values.count)), values.filter { $0 > 100 }.count
            )
            writeLine("# latency: \(values.count) runs paced \(settings.latencyIntervalMs) ms apart by a producer process; worker woken by \(wake) (poll fallback \(configuration.pollInterval.milliseconds) ms); \(spread); load1 \(load1())")
            return [
                BenchFigure(name: "latency_p50", value: Percentile.of(values, 50), unit: "ms"),
                BenchFigure(name: "latency_p99", value: Percentile.of(values, 99), unit: "ms"),
            ]
        }
    }

    /// The latency producer: waits 1 s, then triggers runs carrying their trigger time.
    func latencyProducer() async throws -> [BenchFigure] {
        try await settings.withStore { store in
            let (errand, task) = try makeErrand(store: store)
            try await Task.sleep(for: .seconds(1))
            for index in 0..<settings.latencyJobs {
                try await errand.trigger(task, BenchPayload(i: index, t0: Date().timeIntervalSince1970))
                try await Task.sleep(for: .milliseconds(settings.latencyIntervalMs))
            }
            return []
        }
    }

    /// Triggers `total` runs in batches of `--batch-size` (the e2e phases' producer).
    func triggerInBatches(_ errand: Errand, _ task: TaskDefinition<BenchPayload, NoOutput>, total: Int) async throws {
        var index = 0
        while index < total {
            let size = min(settings.batchSize, total - index)
            try await errand.batchTrigger(task, (index..<(index + size)).map { BenchPayload(i: $0) })
            index += size
        }
    }

    /// On PostgreSQL, opens 4 of the pool's connections before a timed phase (the peers' pools
    /// are open when their clocks start); nothing on SQLite.
    func openConnections(_ store: any BenchStore) async throws {
        if let postgres = store as? PostgresRunStore { try await PostgresBenchSQL.openConnections(postgres, count: 4) }
    }

    func format(_ duration: Duration) -> String { String(format: "%.3f s", duration.timeInterval) }

    func load1() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
    }
}

/// Counts handler calls and wakes a waiter at the target.
final class BenchCounter: Sendable {
    private let state = Mutex<(count: Int, waiter: CheckedContinuation<Void, Never>?)>((0, nil))
    let target: Int

    init(target: Int) { self.target = target }

    /// The handler calls so far.
    var count: Int { state.withLock { $0.count } }

    func increment() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            state.count += 1
            guard state.count == target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func waitForTarget() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.count >= target { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Collects latency samples and wakes a waiter when all have arrived.
final class LatencySamples: Sendable {
    private let state = Mutex<(values: [Double], waiter: CheckedContinuation<[Double], Never>?)>(([], nil))
    let target: Int

    init(target: Int) { self.target = target }

    func add(_ value: Double) {
        let resume: (CheckedContinuation<[Double], Never>, [Double])? = state.withLock { state in
            state.values.append(value)
            guard state.values.count == target, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.values)
        }
        resume.map { $0.0.resume(returning: $0.1) }
    }

    func waitForTarget() async -> [Double] {
        await withCheckedContinuation { continuation in
            let values: [Double]? = state.withLock { state in
                if state.values.count >= target { return state.values }
                state.waiter = continuation
                return nil
            }
            values.map { continuation.resume(returning: $0) }
        }
    }
}
