import Foundation
import Logging
import Synchronization

/// Collects the log lines an attempt's handler writes, publishes each one live (``RunEvent``
/// kind `log`) and stores them in batches: every ``batchSize`` lines and when the attempt ends,
/// before its outcome is written.
final class RunLogSink: Sendable {
    static let batchSize = 100

    let errand: Errand
    let runID: RunID
    let task: String
    let attempt: Int
    private let buffer = Mutex<[RunLogLine]>([])

    init(errand: Errand, runID: RunID, task: String, attempt: Int) {
        self.errand = errand
        self.runID = runID
        self.task = task
        self.attempt = attempt
    }

    func append(level: Logger.Level, message: String, metadata: Logger.Metadata) {
        let now = errand.clock.now
        let line = RunLogLine(
            runID: runID, attempt: attempt, level: level.rawValue, message: message,
            metadata: metadata.mapValues { "\($0)" }, at: now
        )
        let full = buffer.withLock { buffer in
            buffer.append(line)
            return buffer.count >= Self.batchSize
        }
        if errand.bus.hasSubscribers {
            errand.publish(RunEvent(kind: .log, runID: runID, task: task, status: .executing, attempt: attempt, at: now, message: line.message, logLevel: line.level))
        }
        if full { Task { await self.flush() } }
    }

    /// Stores the buffered lines.
    func flush() async {
        let lines = buffer.withLock { buffer in
            defer { buffer.removeAll() }
            return buffer
        }
        guard !lines.isEmpty else { return }
        do {
            try await errand.store.appendLogs(lines)
        } catch {
            errand.logger.warning("storing \(lines.count) log line(s) of run \(runID) failed", metadata: ["error": "\(error)"])
        }
    }
}

/// A log handler that passes every record to the handler it wraps and to the run's log.
struct RunLogHandler: LogHandler {
    var base: any LogHandler
    let sink: RunLogSink

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String,
        line: UInt
    ) {
        base.log(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line)
        var own = metadata ?? [:]
        for key in ["run", "task", "attempt"] { own[key] = nil }
        sink.append(level: level, message: message.description, metadata: own)
    }
}
