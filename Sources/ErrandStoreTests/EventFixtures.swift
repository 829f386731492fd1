import Errand
import Foundation

// Shared fixtures of the event, log, routing and origin checks.

/// An event published at `t0` (or `time`), with a small JSON payload.
func makeEvent(_ id: String, name: String = "user.created", at time: Date = t0, origin: RunOrigin = RunOrigin(.apiKey, "ci")) -> EventRecord {
    EventRecord(id: id, name: name, payload: Data(#"{"user":{"id":42,"plan":"pro"},"name":"zoë"}"#.utf8), publishedAt: time, origin: origin)
}

/// The run an event causes for `task`, as the engine makes it (idempotency key `event:<id>`).
func eventRun(_ task: String, event: String, due: Date = t0) -> NewRun {
    var run = makeRun(task: task, idempotencyKey: "event:\(event)", due: due)
    run.origin = RunOrigin(.event, event)
    run.idempotencyExpiresAt = .distantFuture
    return run
}

/// A run requiring `labels` and taking `cost` slots.
func routedRun(labels: [String] = [], cost: Int = 1, priority: Int = 0, queue: String = "q", key: String? = nil) -> NewRun {
    var run = makeRun(queue: queue, key: key, priority: priority)
    run.requiredLabels = labels.sorted()
    run.cost = cost
    return run
}

/// A log line of a run's attempt, `n` seconds after `t0`.
func logLine(_ run: RunID, attempt: Int = 1, _ message: String, level: String = "info", metadata: [String: String] = [:], second: TimeInterval = 1) -> RunLogLine {
    RunLogLine(runID: run, attempt: attempt, level: level, message: message, metadata: metadata, at: at(second))
}
