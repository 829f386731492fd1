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

    @Test(arguments: [0, 1_000_000])
    func claimWithDelayedRunsStored(_ delayed: Int) async throws {
        try await withTemporaryPath { path in
            let store = try SQLiteRunStore(path: path, configuration: .init(durability: .normal))
            var start = ContinuousClock.now
            for batch in 0..<delayed / 5000 {
                let runs = (0..<5000).map { index in newRun(due: t0 + 3600 + TimeInterval(batch * 5000 + index)) }
                _ = try await store.insertRuns(runs, now: t0)
            }
            if delayed > 0 { report("inserting delayed runs", count: delayed, since: start) }
            _ = try await store.insertRuns((0..<10_000).map { _ in newRun(due: t0) }, now: t0)
            start = ContinuousClock.now
            var claimed = 0
            for round in 0..<1000 {
                let now = t0 + Double(round) / 1000
                let runs = try await store.claimRuns(ClaimRequest(workerID: "w", limit: 10, now: now, leaseUntil: now + 30))
                claimed += runs.count
                _ = try await store.completeAttempts(runs.map { run in
                    AttemptCompletion(runID: run.id, attempt: 1, guard: .worker("w"), endedAt: now, outcome: .succeeded, status: .completed)
                })
            }
            #expect(claimed == 10_000)
            report("claim 10 + complete 10, one caller, \(delayed) delayed stored (runs)", count: claimed, since: start)
        }
    }
}
