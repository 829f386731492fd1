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
    private let state = Mutex(State())

    /// The lines not stored yet, and the one write in progress (writes are serial, so lines are
    /// numbered in the order they were written).
    private struct State {
        var buffer: [RunLogLine] = []
        var writing = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private enum Step {
        case wait
        case write([RunLogLine])
        case done
    }

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
        let full = state.withLock { state in
            state.buffer.append(line)
            return state.buffer.count >= Self.batchSize && !state.writing
        }
        if errand.bus.mayWant(.log) {
            errand.publish(RunEvent(
                kind: .log, runID: runID, task: task, status: .executing, attempt: attempt, at: now, message: line.message, logLevel: line.level,
                logMetadata: line.metadata
            ))
        }
        if full { Task { await self.flush() } }
    }

    /// Stores the buffered lines, after any write in progress, until none is left.
    func flush() async {
        while true {
            let step: Step = state.withLock { state in
                if state.writing { return .wait }
                if state.buffer.isEmpty { return .done }
                state.writing = true
                defer { state.buffer.removeAll() }
                return .write(state.buffer)
            }
            switch step {
            case .done:
                return
            case .wait:
                await withCheckedContinuation { continuation in
                    let writing = state.withLock { state in
                        if state.writing { state.waiters.append(continuation) }
                        return state.writing
                    }
                    if !writing { continuation.resume() }
                }
            case .write(let lines):
                do {
                    try await errand.store.appendLogs(lines)
                } catch {
                    errand.logger.warning("storing \(lines.count) log line(s) of run \(runID) failed", metadata: ["error": "\(error)"])
                }
                let waiters = state.withLock { state in
                    state.writing = false
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }
}

/// A log handler that passes records to the handler it wraps (at that handler's level) and to
/// the run's log (at `info` and above, or the level set on the run's logger), so a run's log does
/// not depend on how verbose the process's console is.
struct RunLogHandler: LogHandler {
    var base: any LogHandler
    let sink: RunLogSink
    var runLevel: Logger.Level = .info

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { min(base.logLevel, runLevel) }
        set {
            base.logLevel = newValue
            runLevel = newValue
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String,
        line: UInt
    ) {
        if level >= base.logLevel {
            base.log(level: level, message: message, metadata: metadata, source: source, file: file, function: function, line: line)
        }
        guard level >= runLevel else { return }
        var own = metadata ?? [:]
        for key in ["run", "task", "attempt"] { own[key] = nil }
        sink.append(level: level, message: message.description, metadata: own)
    }
}
