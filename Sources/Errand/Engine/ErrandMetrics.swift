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
    /// An instrument: its label and the values of its one or two dimensions (their names are
    /// fixed per label). A key of strings, not of the dimension pairs, so a lookup allocates
    /// nothing (it runs several times per attempt).
    private struct Key: Hashable {
        var label: String
        var first: String
        var second: String = ""
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: CoreMetrics.Timer]>([:])

    /// A dimension: its name and its value.
    private typealias Dimension = (String, String)

    /// The counter for `label` and its dimensions, made the first time.
    private func counter(_ label: String, _ first: Dimension, _ second: Dimension? = nil) -> Counter {
        let key = Key(label: label, first: first.1, second: second?.1 ?? "")
        if let counter = counters.withLock({ $0[key] }) { return counter }
        let counter = Counter(label: label, dimensions: second.map { [first, $0] } ?? [first])
        counters.withLock { $0[key] = counter }
        return counter
    }

    /// The timer for `label` and its dimension, made the first time.
    private func timer(_ label: String, _ dimension: Dimension) -> CoreMetrics.Timer {
        let key = Key(label: label, first: dimension.1)
        if let timer = timers.withLock({ $0[key] }) { return timer }
        let timer = CoreMetrics.Timer(label: label, dimensions: [dimension], preferredDisplayUnit: .seconds)
        timers.withLock { $0[key] = timer }
        return timer
    }

    func triggered(_ runs: [NewRun]) {
        var counts: [String: Int] = [:]
        for run in runs { counts[run.task, default: 0] += 1 }
        for (task, count) in counts {
            counter("errand_runs_triggered_total", ("task", task)).increment(by: count)
        }
    }

    func started(_ run: RunRecord, at date: Date) {
        let latency = max(0, date.timeIntervalSince(run.scheduledAt))
        timer("errand_pickup_latency_seconds", ("queue", run.queue)).recordNanoseconds(Int64(latency * 1e9))
    }

    func attemptEnded(_ run: RunRecord, outcome: AttemptOutcome, duration: Duration) {
        counter("errand_attempts_total", ("task", run.task), ("outcome", outcome.rawValue)).increment()
        timer("errand_attempt_duration_seconds", ("task", run.task)).recordNanoseconds(duration.milliseconds * 1_000_000)
    }

    func finished(_ record: RunRecord) {
        counter("errand_runs_finished_total", ("task", record.task), ("status", record.status.rawValue)).increment()
    }
}
