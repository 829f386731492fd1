import Errand
import Foundation
import Logging
import ServiceLifecycle

/// The `steps` benchmark phase (durable steps on the bench's store, every write durable):
/// - `step_p50`/`step_p99`: the time of one `context.step` call whose closure does nothing, that
///   is the stored output's round trip (one group-committed write), measured inside a run that
///   executes 2,000 steps one after another;
/// - `steps_per_s`: steps completed per second by 64 such runs at once (commits shared);
/// - `child_resume_p50`/`child_resume_p99`: from the moment a child's handler returns to the
///   moment its parent's handler is called again after `triggerAndWait`, over 300 parents, 16 at
///   a time (the child's outcome commit, the parent's wake-up, claim and replay up to the step).
enum StepBenchmark {
    static let sequentialSteps = 2_000
    static let concurrentRuns = 64
    static let stepsPerConcurrentRun = 100
    static let parents = 300

    struct ChildStamp: Codable, Sendable {
        var returnedAt: Double
    }

    static func run(settings: BenchSettings) async throws -> [BenchFigure] {
        try await settings.withStore { store in try await run(settings: settings, store: store) }
    }

    private static func run(settings: BenchSettings, store: any BenchStore) async throws -> [BenchFigure] {
        var logger = Logger(label: "errand.bench")
        logger.logLevel = .warning
        let errand = Errand(store: store, configuration: .init(retention: [:], logger: logger))

        let stepSamples = LatencySamples(target: sequentialSteps)
        let sequential = TaskDefinition<BenchPayload, NoOutput>("bench-steps", options: TaskOptions(timeout: .seconds(600), retry: .none)) { payload, context in
            for index in 0..<payload.i {
                let start = ContinuousClock.now
                _ = try await context.step("s\(index)") { index }
                if payload.t0 == nil { stepSamples.add((ContinuousClock.now - start).timeInterval * 1000) }
            }
            return NoOutput()
        }
        let resumeSamples = LatencySamples(target: parents)
        let child = TaskDefinition<BenchPayload, ChildStamp>("bench-child", options: TaskOptions(retry: .none)) { _, _ in
            ChildStamp(returnedAt: Date().timeIntervalSince1970)
        }
        let parent = TaskDefinition<BenchPayload, NoOutput>("bench-parent", options: TaskOptions(retry: .none)) { payload, context in
            let stamp = try await context.triggerAndWait(child, payload)
            resumeSamples.add((Date().timeIntervalSince1970 - stamp.returnedAt) * 1000)
            return NoOutput()
        }
        for task in [sequential, parent] { try errand.register(task) }
        try errand.register(child)
        let worker = errand.worker(WorkerConfiguration(id: "bench-steps", concurrency: 128, claimBatchSize: 64))
        let running = Task { try await worker.run() }
        defer { worker.shutDown() }

        // 1. One run, steps one after another.
        let one = try await errand.trigger(sequential, BenchPayload(i: sequentialSteps))
        let samples = await stepSamples.waitForTarget()
        _ = try await errand.waitForCompletion(one, pollInterval: .milliseconds(50))

        // 2. Many runs at once.
        let start = ContinuousClock.now
        let ids = try await errand.batchTrigger(sequential, Array(repeating: BenchPayload(i: stepsPerConcurrentRun, t0: 0), count: concurrentRuns))
        for id in ids { _ = try await errand.waitForCompletion(id, pollInterval: .milliseconds(50)) }
        let concurrentElapsed = ContinuousClock.now - start
        let totalSteps = concurrentRuns * stepsPerConcurrentRun

        // 3. Child → parent resumption, 16 parents at a time.
        var next = 0
        while next < parents {
            let size = min(16, parents - next)
            let batch = try await errand.batchTrigger(parent, (next..<next + size).map { BenchPayload(i: $0) })
            for id in batch { _ = try await errand.waitForCompletion(id, pollInterval: .milliseconds(50)) }
            next += size
        }
        let resumes = await resumeSamples.waitForTarget()
        worker.shutDown()
        try await running.value

        writeLine("# steps: \(sequentialSteps) sequential no-op steps in one run; \(totalSteps) steps by \(concurrentRuns) runs at once in \(String(format: "%.3f s", concurrentElapsed.timeInterval)); \(parents) triggerAndWait parents, 16 at a time; sync=\(settings.sync)")
        return [
            BenchFigure(name: "step_p50", value: Percentile.of(samples, 50), unit: "ms"),
            BenchFigure(name: "step_p99", value: Percentile.of(samples, 99), unit: "ms"),
            BenchFigure(name: "steps_per_s", value: Double(totalSteps) / concurrentElapsed.timeInterval, unit: "steps/s"),
            BenchFigure(name: "child_resume_p50", value: Percentile.of(resumes, 50), unit: "ms"),
            BenchFigure(name: "child_resume_p99", value: Percentile.of(resumes, 99), unit: "ms"),
        ]
    }
}
