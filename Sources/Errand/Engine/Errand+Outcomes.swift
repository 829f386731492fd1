import Foundation
import Logging

extension Errand {
    /// When the next attempt is due after failed attempt `attempt`.
    func retryTime(after attempt: Int, policy: RetryPolicy, from date: Date) -> Date {
        var generator = SystemRandomNumberGenerator()
        return date.adding(policy.delay(afterAttempt: attempt, using: &generator))
    }

    /// Publishes the event for a run whose new state was just written, and runs the final hooks
    /// when it finished. `value` is the handler's typed output for a completed run.
    func runUpdated(_ record: RunRecord, value: (any Sendable)?) async {
        if record.status.isFinal {
            await runFinished(record, value: value)
        } else {
            publish(RunEvent(outcomeOf: record, at: record.updatedAt))
        }
    }

    /// Everything that follows a run's final status, after it is stored: the event, metrics and
    /// hooks (`onSuccess` or `onFailure`, then `onComplete`; the task's before the global ones).
    func runFinished(_ record: RunRecord, value: (any Sendable)?) async {
        // The store made a waiting parent due in the same transaction: let local workers claim it.
        if record.awaited { wakeWorkers() }
        metrics.finished(record)
        publish(RunEvent(outcomeOf: record, at: record.updatedAt))
        let task = self.task(named: record.task)
        let hooks = configuration.hooks
        let logger = self.logger
        func call(_ name: String, _ body: () async throws -> Void) async {
            do {
                try await body()
            } catch {
                logger.warning("\(name) hook failed; ignored", metadata: ["error": "\(error)", "run": "\(record.id)", "task": "\(record.task)"])
            }
        }
        switch record.status {
        case .completed:
            await call("onSuccess") { try await task?.onSuccess(record, value) }
            await call("onSuccess (global)") { try await hooks.onSuccess?(record) }
        case .failed, .timedOut, .crashed:
            await call("onFailure") { try await task?.onFailure(record) }
            await call("onFailure (global)") { try await hooks.onFailure?(record) }
        default:
            break
        }
        await call("onComplete") { try await task?.onComplete(record) }
        await call("onComplete (global)") { try await hooks.onComplete?(record) }
    }
}
