import Foundation
import Logging
import Synchronization

/// Collects attempt outcomes from a worker's executors and writes them to the store in batches:
/// all outcomes that arrive while one batch is being written go into the next one. Each submitter
/// resumes with its updated run (or `nil` when the outcome no longer applied) after the commit.
final class OutcomeWriter: Sendable {
    private struct Pending {
        var completion: AttemptCompletion
        var continuation: CheckedContinuation<RunRecord?, Never>
    }

    private struct State {
        var pending: [Pending] = []
        var finished = false
    }

    private let store: any RunStore
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = WakeSignal()

    init(store: any RunStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Queues an outcome and returns once it is written.
    func submit(_ completion: AttemptCompletion) async -> RunRecord? {
        await withCheckedContinuation { continuation in
            state.withLock { $0.pending.append(Pending(completion: completion, continuation: continuation)) }
            wake.signal()
        }
    }

    /// Stops the loop once everything queued is written.
    func finish() {
        state.withLock { $0.finished = true }
        wake.signal()
    }

    /// Writes batches until ``finish()`` is called and nothing is pending. Cancellation does not
    /// stop it: outcomes already produced must be written.
    func run() async {
        while true {
            let (batch, finished) = state.withLock { state in
                defer { state.pending = [] }
                return (state.pending, state.finished)
            }
            if batch.isEmpty {
                if finished { return }
                await wake.waitIgnoringCancellation()
                continue
            }
            let records = await write(batch.map(\.completion))
            for (pending, record) in zip(batch, records) { pending.continuation.resume(returning: record) }
        }
    }

    /// Writes one batch, retrying store errors with backoff; after the last try the outcomes are
    /// dropped (the runs keep their leases, which expire, and the rescuer records them).
    private func write(_ completions: [AttemptCompletion]) async -> [RunRecord?] {
        var delay: Duration = .milliseconds(50)
        for attempt in 1...8 {
            do {
                return try await store.completeAttempts(completions)
            } catch {
                logger.error("writing \(completions.count) attempt outcome(s) failed", metadata: ["error": "\(error)", "try": "\(attempt)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        return completions.map { _ in nil }
    }
}
