import CoreMetrics
import Foundation
import Synchronization

/// The engine's swift-metrics instruments (a no-op until the app bootstraps a metrics backend).
///
/// - `errand_runs_triggered_total{task}`: runs created.
/// - `errand_runs_finished_total{task,status}`: runs that reached a final status.
/// - `errand_attempts_total{task,outcome}`: attempts by outcome.
/// - `errand_attempt_duration_seconds{task}`: attempt durations.
/// - `errand_pickup_latency_seconds{queue}`: from due time to attempt start.
///
/// Instruments are made once per label and dimensions and reused, so the hot path does not go
/// through the metrics factory for every run.
final class ErrandMetrics: Sendable {
    private struct Key: Hashable {
        var label: String
        var dimensions: [String]
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: CoreMetrics.Timer]>([:])

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = Key(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = Counter(label: label, dimensions: dimensions)
        counters.withLock { $0[key] = counter }
        return counter
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        let key = Key(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        if let timer = timers.withLock({ $0[key] }) { return timer }
        let timer = CoreMetrics.Timer(label: label, dimensions: dimensions, preferredDisplayUnit: .seconds)
        timers.withLock { $0[key] = timer }
        return timer
    }

    func triggered(_ runs: [NewRun]) {
        var counts: [String: Int] = [:]
        for run in runs { counts[run.task, default: 0] += 1 }
        for (task, count) in counts {
            counter("errand_runs_triggered_total", [("task", task)]).increment(by: count)
        }
    }

    func started(_ run: RunRecord, at date: Date) {
        let latency = max(0, date.timeIntervalSince(run.scheduledAt))
        timer("errand_pickup_latency_seconds", [("queue", run.queue)]).recordNanoseconds(Int64(latency * 1e9))
    }

    func attemptEnded(_ run: RunRecord, outcome: AttemptOutcome, duration: Duration) {
        counter("errand_attempts_total", [("task", run.task), ("outcome", outcome.rawValue)]).increment()
        timer("errand_attempt_duration_seconds", [("task", run.task)]).recordNanoseconds(duration.milliseconds * 1_000_000)
    }

    func finished(_ record: RunRecord) {
        counter("errand_runs_finished_total", [("task", record.task), ("status", record.status.rawValue)]).increment()
    }
}
