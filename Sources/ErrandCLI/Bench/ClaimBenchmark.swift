import Errand
import ErrandPostgres
import Foundation

/// The `claim_delayed` phase: the cost of claiming one ready run with an empty table, and again
/// with `delayed` delayed runs (and on PostgreSQL `finished` completed runs, each with its
/// attempt) stored: p50/p99 over ``claims`` claims, each of a run inserted just before it.
enum ClaimBenchmark {
    /// Claims measured per figure pair.
    static let claims = 500

    static func run(settings: BenchSettings) async throws -> [BenchFigure] {
        let runner = BenchPhaseRunner(settings: settings)
        return try await settings.withStore { store in
            let empty = try await measureClaims(store: store)
            let fillStart = ContinuousClock.now
            let stored: String
            if let postgres = store as? PostgresRunStore {
                try await PostgresBenchSQL.fillDelayed(postgres, task: BenchPhaseRunner.taskName, count: settings.delayed)
                try await PostgresBenchSQL.fillFinished(postgres, task: BenchPhaseRunner.taskName, count: settings.finished)
                try await store.settleForBench()
                stored = "\(settings.delayed) delayed and \(settings.finished) completed runs (each with its attempt)"
            } else {
                let filler = try settings.openStore(durability: .off)
                try await insertDelayed(filler, count: settings.delayed)
                try await filler.settleForBench()
                stored = "\(settings.delayed) delayed runs"
            }
            writeLine("# claim_delayed: stored \(stored) in \(runner.format(ContinuousClock.now - fillStart)) (untimed)")
            let loaded = try await measureClaims(store: store)
            return [
                BenchFigure(name: "claim_p50_empty", value: empty.p50, unit: "ms"),
                BenchFigure(name: "claim_p99_empty", value: empty.p99, unit: "ms"),
                BenchFigure(name: "claim_p50_with_delayed", value: loaded.p50, unit: "ms"),
                BenchFigure(name: "claim_p99_with_delayed", value: loaded.p99, unit: "ms"),
            ]
        }
    }

    /// Inserts `count` delayed runs through the store, 10,000 per call, due from 30 days from now
    /// on, a second apart.
    private static func insertDelayed(_ store: any BenchStore, count: Int) async throws {
        let future = Date().addingTimeInterval(30 * 24 * 3600)
        var inserted = 0
        while inserted < count {
            let size = min(10_000, count - inserted)
            let runs = (0..<size).map { offset in
                NewRun(
                    task: BenchPhaseRunner.taskName, queue: BenchPhaseRunner.taskName, payload: Data(#"{"i":0}"#.utf8),
                    scheduledAt: future.addingTimeInterval(Double(inserted + offset))
                )
            }
            _ = try await store.insertRuns(runs, now: Date())
            inserted += size
        }
    }

    private static func measureClaims(store: any BenchStore) async throws -> (p50: Double, p99: Double) {
        var samples: [Double] = []
        for index in 0..<claims {
            let now = Date()
            _ = try await store.insertRuns(
                [NewRun(task: BenchPhaseRunner.taskName, queue: BenchPhaseRunner.taskName, payload: Data(#"{"i":\#(index)}"#.utf8), scheduledAt: now)],
                now: now
            )
            let start = ContinuousClock.now
            let claimed = try await store.claimRuns(ClaimRequest(workerID: "bench", limit: 1, now: Date(), leaseUntil: Date().addingTimeInterval(30)))
            samples.append((ContinuousClock.now - start).timeInterval * 1000)
            guard claimed.count == 1 else { throw BenchError("claim returned \(claimed.count) runs, expected 1") }
        }
        return (Percentile.of(samples, 50), Percentile.of(samples, 99))
    }
}
