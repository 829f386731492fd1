import Errand
import Prometheus
import Synchronization

/// The gauges `/metrics` sets at scrape time, next to the engine's counters and histograms in the
/// same registry:
///
/// - `errand_runs{task,status}`: runs in the store by task and status (when the store can count,
///   see ``RunCounting``).
/// - `errand_queue_depth{queue,status}`: unfinished runs by queue and status.
/// - `errand_queue_paused{queue}`: 1 while a queue is paused.
/// - `errand_http_open_streams`: open server-sent event streams.
///
/// A label set seen at an earlier scrape and gone now is set to 0, so series do not go stale.
final class MetricsExporter: Sendable {
    /// The registry `/metrics` prints.
    let registry: PrometheusCollectorRegistry
    private let seen = Mutex<Set<[String]>>([])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Reads the store's counts and sets the gauges.
    func update(errand: Errand, queues: [QueueState], openStreams: Int) async throws {
        var values: [[String]: Double] = [:]
        if let counting = errand.store as? any RunCounting {
            for count in try await counting.runCounts() {
                values[["errand_runs", "task", count.task, "status", count.status.rawValue]] = Double(count.count)
            }
        }
        for queue in queues {
            for status in RunStatus.allCases where !status.isFinal {
                values[["errand_queue_depth", "queue", queue.config.name, "status", status.rawValue]] = Double(queue.counts[status] ?? 0)
            }
            values[["errand_queue_paused", "queue", queue.config.name]] = queue.paused ? 1 : 0
        }
        values[["errand_http_open_streams"]] = Double(openStreams)
        let gone = seen.withLock { seen in
            let gone = seen.subtracting(values.keys)
            seen.formUnion(values.keys)
            return gone
        }
        for key in gone { values[key] = 0 }
        for (key, value) in values {
            var labels: [(String, String)] = []
            var index = 1
            while index + 1 < key.count {
                labels.append((key[index], key[index + 1]))
                index += 2
            }
            registry.makeGauge(name: key[0], labels: labels).set(value)
        }
    }
}
