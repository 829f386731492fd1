import Errand
import ErrandSQLite
import Foundation
import Testing

/// Throughput figures, printed; only with `ERRAND_SQLITE_BENCH=1` (best in a release build:
/// `ERRAND_SQLITE_BENCH=1 swift test -c release --filter SQLiteBenchmarkTests`).
@Suite("SQLiteRunStore benchmarks", .enabled(if: ProcessInfo.processInfo.environment["ERRAND_SQLITE_BENCH"] == "1"), .serialized)
struct SQLiteBenchmarkTests {
    let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    func newRun(due: Date) -> NewRun {
        NewRun(task: "bench", queue: "q", payload: Data(#"{"n":1}"#.utf8), scheduledAt: due)
    }

    func report(_ label: String, count: Int, since start: ContinuousClock.Instant) {
        let seconds = (ContinuousClock.now - start).timeInterval
        print("bench: \(label): \(count) in \(String(format: "%.3f", seconds)) s = \(Int(Double(count) / seconds))/s")
    }

    @Test(arguments: ["full", "normal"])
    func batchedInserts(_ durability: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: durability == "full" ? .full : .normal))
            let batches = (0..<200).map { _ in (0..<1000).map { _ in newRun(due: t0) } }
            let start = ContinuousClock.now
            for batch in batches { _ = try await store.insertRuns(batch, now: t0) }
            report("\(durability): inserts in batches of 1000, one caller", count: 200_000, since: start)
        }
    }

    @Test(arguments: ["full", "normal"])
    func concurrentSingleInserts(_ durability: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: durability == "full" ? .full : .normal))
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        for _ in 0..<200 { _ = try await store.insertRuns([newRun(due: t0)], now: t0) }
                    }
                }
                try await group.waitForAll()
            }
            report("\(durability): single-run inserts from 100 concurrent callers (group commit)", count: 20_000, since: start)
        }
    }

    /// How a claim benchmark's worker asks: `plain` (no labels, no slots: the store's own claim
    /// test), `worker` (as `Worker` asks: two labels and its free slots; no run requires a label),
    /// `skipping` (a worker without labels, while one queued run in ten requires `gpu`).
    @Test(arguments: [(0, "plain"), (0, "worker"), (0, "skipping"), (1_000_000, "plain"), (1_000_000, "worker")])
    func claimWithDelayedRunsStored(_ delayed: Int, _ style: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: .normal))
            var start = ContinuousClock.now
            for batch in 0..<delayed / 5000 {
                let runs = (0..<5000).map { index in newRun(due: t0 + 3600 + TimeInterval(batch * 5000 + index)) }
                _ = try await store.insertRuns(runs, now: t0)
            }
            if delayed > 0 { report("inserting delayed runs", count: delayed, since: start) }
            // With `skipping`, one run in eleven requires `gpu`, interleaved with the others.
            let count = style == "skipping" ? 11_000 : 10_000
            _ = try await store.insertRuns((0..<count).map { index in
                var run = newRun(due: t0)
                if style == "skipping", index % 11 == 10 { run.requiredLabels = ["gpu"] }
                return run
            }, now: t0)
            let labels: Set<String> = style == "worker" ? ["linux", "large"] : []
            start = ContinuousClock.now
            var claimed = 0
            for round in 0..<1000 {
                let now = t0 + Double(round) / 1000
                let runs = try await store.claimRuns(ClaimRequest(
                    workerID: "w", limit: 10, now: now, leaseUntil: now + 30, labels: labels, slots: style == "worker" ? 10 : nil
                ))
                claimed += runs.count
                _ = try await store.completeAttempts(runs.map { run in
                    AttemptCompletion(runID: run.id, attempt: 1, guard: .worker("w"), endedAt: now, outcome: .succeeded, status: .completed)
                })
            }
            #expect(claimed == 10_000)
            report("claim 10 + complete 10, one caller, \(delayed) delayed stored, \(style) claims (runs)", count: claimed, since: start)
        }
    }

    /// p50 and p99 of measured durations, in microseconds.
    func percentiles(_ label: String, _ samples: [Duration]) {
        let sorted = samples.sorted()
        func micros(_ fraction: Double) -> Int {
            Int((sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))].timeInterval * 1_000_000).rounded())
        }
        print("bench: \(label): p50 \(micros(0.5)) µs, p99 \(micros(0.99)) µs over \(sorted.count)")
    }

    @Test(arguments: ["full", "normal"])
    func stepRoundTrip(_ durability: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: durability == "full" ? .full : .normal))
            _ = try await store.insertRuns([newRun(due: t0)], now: t0)
            let run = try #require(try await store.claimRuns(ClaimRequest(workerID: "w", limit: 1, now: t0, leaseUntil: t0 + 3600)).first)
            let output = Data(#"{"id":"cus_123","email":"zoë@example.com","total":4200}"#.utf8)
            var saves: [Duration] = [], reads: [Duration] = []
            let clock = ContinuousClock()
            for index in 0..<2000 {
                let step = StepRecord(key: "step-\(index)", status: .completed, startedAt: t0, endedAt: t0, output: output, attempt: 1)
                saves.append(try await clock.measure { _ = try await store.saveStep(step, runID: run.id, attempt: 1) })
                if index.isMultiple(of: 20) {
                    reads.append(try await clock.measure { _ = try await store.steps(runID: run.id) })
                }
            }
            percentiles("\(durability): saveStep (one caller)", saves)
            percentiles("\(durability): steps(runID:) of up to 2000 steps", reads)
        }
    }

    @Test(arguments: [false, true])
    func completionWithParentWake(_ awaited: Bool) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: .full))
            let parents = (0..<500).map { _ in NewRun(task: "parent", queue: "parents", payload: Data("{}".utf8), scheduledAt: t0) }
            _ = try await store.insertRuns(parents, now: t0)
            let claimedParents = try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["parents"], limit: 500, now: t0, leaseUntil: t0 + 3600))
            let children = claimedParents.map { parent in
                NewRun(task: "child", queue: "q", payload: Data("{}".utf8), scheduledAt: t0, parentID: awaited ? parent.id : nil, depth: 1, awaited: awaited)
            }
            _ = try await store.insertRuns(children, now: t0)
            _ = try await store.completeAttempts(claimedParents.map { parent in
                AttemptCompletion(
                    runID: parent.id, attempt: 1, guard: .worker("w"), endedAt: t0, outcome: .suspended, status: .waiting,
                    waitingFor: awaited ? .children(children.filter { $0.parentID == parent.id }.map(\.id)) : nil
                )
            })
            let claimed = try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["q"], limit: 500, now: t0, leaseUntil: t0 + 3600))
            let clock = ContinuousClock()
            var samples: [Duration] = []
            for child in claimed {
                samples.append(try await clock.measure {
                    _ = try await store.completeAttempts([
                        AttemptCompletion(runID: child.id, attempt: 1, guard: .worker("w"), endedAt: t0 + 1, outcome: .succeeded, status: .completed)
                    ])
                })
            }
            if awaited {
                let woken = try await store.listRuns(RunQuery(statuses: [.waiting], limit: 1000)).runs.filter { $0.scheduledAt == t0 + 1 }
                #expect(woken.count == 500, "every parent woken")
            }
            percentiles("full: completing a child \(awaited ? "that wakes its parent" : "without a parent")", samples)
        }
    }

    @Test(arguments: ["full", "normal"])
    func publishWithTenSubscribers(_ durability: String) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: durability == "full" ? .full : .normal))
            let payload = Data(#"{"user":{"id":42,"email":"zoë@example.com","plan":"pro"}}"#.utf8)
            let clock = ContinuousClock()
            var samples: [Duration] = []
            for index in 0..<1000 {
                let id = "evt_\(index)"
                let runs = (0..<10).map { task in
                    NewRun(
                        task: "task\(task)", queue: "q", payload: payload, idempotencyKey: "event:\(id)", idempotencyExpiresAt: .distantFuture,
                        scheduledAt: t0, origin: RunOrigin(.event, id), eventID: id
                    )
                }
                let event = EventRecord(id: id, name: "user.created", payload: payload, publishedAt: t0)
                samples.append(try await clock.measure { _ = try await store.publishEvent(event, runs: runs, now: t0) })
            }
            #expect(try await store.countRuns() == 10_000)
            percentiles("\(durability): publishEvent with 10 subscribers (one caller)", samples)
        }
    }

    @Test func appendLogs() async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: .full))
            let runs = (0..<100).map { _ in newRun(due: t0) }
            _ = try await store.insertRuns(runs, now: t0)
            let clock = ContinuousClock()
            var samples: [Duration] = []
            for round in 0..<10 {
                for run in runs {
                    let lines = (0..<100).map { index in
                        RunLogLine(runID: run.id, attempt: 1, level: "info", message: "processed item \(round * 100 + index)", metadata: ["item": "\(index)"], at: t0)
                    }
                    samples.append(try await clock.measure { try await store.appendLogs(lines) })
                }
            }
            percentiles("full: appendLogs of a batch of 100 lines (one caller, 1000 batches)", samples)
        }
    }
}
