import Foundation
import Logging

/// What a handler (and every hook) learns about the attempt it runs in, and what it can do to it.
///
/// The Ampt event fields are here: ``runID`` (`id`), ``taskName`` (`name`), ``calledAt`` (`time`),
/// ``delay``; and its context methods: ``progress(_:percent:)`` and ``setTimeout(_:)``.
/// Cancellation is cooperative: a canceled run, a timeout or a shutdown cancels the handler's Swift
/// task; check `Task.isCancelled` or call ``checkCancellation()`` in long loops.
public struct RunContext: Sendable {
    /// The run's id.
    public let runID: RunID
    /// The attempt number, 1 for the first.
    public let attempt: Int
    /// The task's name.
    public let taskName: String
    /// The queue the run came from.
    public let queue: String
    /// The run's tags.
    public let tags: [String]
    /// When the run was triggered.
    public let createdAt: Date
    /// When the run was due.
    public let scheduledAt: Date
    /// When the handler was called (Ampt's `time`).
    public let calledAt: Date
    /// The engine's logger, to which ``logger`` adds the run's metadata.
    let baseLogger: Logger

    /// A logger with the run id, task and attempt as metadata.
    public var logger: Logger {
        var logger = baseLogger
        if let logSink { logger.handler = RunLogHandler(base: logger.handler, sink: logSink) }
        logger[metadataKey: "run"] = "\(runID)"
        logger[metadataKey: "task"] = "\(taskName)"
        logger[metadataKey: "attempt"] = "\(attempt)"
        return logger
    }
    /// The clock Errand runs on; sleep on it so tests with a virtual clock stay in control.
    public let clock: any WallClock
    /// What the `initialize` hooks returned (Trigger.dev's `init` output), if anything.
    public internal(set) var initOutput: (any Sendable)?

    let control: AttemptControl

    /// The attempt's durable steps (`nil` outside a worker's attempt).
    let journal: StepJournal?

    /// Where the attempt's log lines go (`nil` outside a worker's attempt).
    let logSink: RunLogSink?

    /// The time between when the run was due and when the handler was called (Ampt's `delay`).
    public var delay: Duration {
        .milliseconds(Int64((calledAt.timeIntervalSince(scheduledAt) * 1000).rounded()))
    }

    /// The `initialize` output as a given type.
    public func initOutput<T>(as type: T.Type = T.self) -> T? { initOutput as? T }

    /// Records progress in the run's history: a message and a fraction between 0 and 1.
    /// Throws an ``ErrandError`` naming `percent` when it is outside 0…1.
    public func progress(_ message: String?, percent: Double? = nil) async throws {
        if let percent, !(0...1).contains(percent) || !percent.isFinite {
            throw ErrandError.invalidArgument(field: "percent", value: String(percent), allowed: "progress percent must be between 0 and 1 (0.5 = half-way)")
        }
        if let message, message.utf8.count > 4096 {
            throw ErrandError.invalidArgument(field: "message", value: message, allowed: "a progress message is at most 4096 bytes")
        }
        try await control.reportProgress(message, percent)
    }

    /// Changes this attempt's timeout, counted from the attempt's start (Ampt's `setTimeout`).
    public func setTimeout(_ timeout: Duration) throws {
        guard timeout > .zero else {
            throw ErrandError.invalidArgument(field: "timeout", value: "\(timeout)", allowed: "must be positive")
        }
        control.setTimeout(timeout)
    }

    /// Whether the attempt has been told to stop (canceled run, timeout, shutdown).
    public var isCancelled: Bool { Task.isCancelled || control.interruption != nil }

    /// Throws `CancellationError` when the attempt has been told to stop.
    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }
}
