import CoreMetrics
import Foundation

/// The engine's swift-metrics instruments (a no-op until the app bootstraps a metrics backend).
///
/// - `errand_runs_triggered_total{task}`: runs created.
/// - `errand_runs_finished_total{task,status}`: runs that reached a final status.
/// - `errand_attempts_total{task,outcome}`: attempts by outcome.
/// - `errand_attempt_duration_seconds{task}`: attempt durations.
/// - `errand_pickup_latency_seconds{queue}`: from due time to attempt start.
struct ErrandMetrics: Sendable {
    func triggered(_ runs: [NewRun]) {
        var counts: [String: Int] = [:]
        for run in runs { counts[run.task, default: 0] += 1 }
        for (task, count) in counts {
            Counter(label: "errand_runs_triggered_total", dimensions: [("task", task)]).increment(by: count)
        }
    }

    func started(_ run: RunRecord, at date: Date) {
        let latency = max(0, date.timeIntervalSince(run.scheduledAt))
        Timer(label: "errand_pickup_latency_seconds", dimensions: [("queue", run.queue)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(latency * 1e9))
    }

    func attemptEnded(_ run: RunRecord, outcome: AttemptOutcome, duration: Duration) {
        Counter(label: "errand_attempts_total", dimensions: [("task", run.task), ("outcome", outcome.rawValue)]).increment()
        Timer(label: "errand_attempt_duration_seconds", dimensions: [("task", run.task)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(duration.milliseconds * 1_000_000)
    }

    func finished(_ record: RunRecord) {
        Counter(label: "errand_runs_finished_total", dimensions: [("task", record.task), ("status", record.status.rawValue)]).increment()
    }
}
