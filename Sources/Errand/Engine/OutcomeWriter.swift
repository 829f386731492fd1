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
        /// The loop has returned: an outcome submitted now is answered `nil` at once.
        var stopped = false
        /// Batches being written now.
        var writing = 0
    }

    private let store: any RunStore
    private let logger: Logger
    private let concurrentBatches: Int
    private let state = Mutex(State())
    private let wake = WakeSignal()

    /// A writer that writes up to `concurrentBatches` batches at once.
    init(store: any RunStore, logger: Logger, concurrentBatches: Int = 1) {
        self.store = store
        self.logger = logger
        self.concurrentBatches = max(1, concurrentBatches)
    }

    /// Queues an outcome and returns once it is written; returns `nil` at once when the writer
    /// has stopped (the run's lease lapses and the rescuer records the attempt).
    func submit(_ completion: AttemptCompletion) async -> RunRecord? {
        await withCheckedContinuation { continuation in
            let queued = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.pending.append(Pending(completion: completion, continuation: continuation))
                return true
            }
            if queued {
                wake.signal()
            } else {
                logger.warning("an attempt outcome came after the worker stopped writing outcomes; it is dropped")
                continuation.resume(returning: nil)
            }
        }
    }

    /// Stops the loop once everything queued is written.
    func finish() {
        state.withLock { $0.finished = true }
        wake.signal()
    }

    /// Writes batches until ``finish()`` is called and nothing is pending or being written.
    /// Cancellation does not stop it: outcomes already produced must be written.
    ///
    /// While fewer than `concurrentBatches` batches are being written, everything pending goes
    /// out as the next batch; otherwise outcomes wait and join the next one. A store with many
    /// connections (PostgreSQL) writes the batches in parallel, so a batch's round trips and
    /// commit overlap with the next one's. The batches hold different attempts, so their order
    /// does not matter.
    func run() async {
        await withDiscardingTaskGroup { group in
            while true {
                let (batch, done) = state.withLock { state -> ([Pending], Bool) in
                    if state.pending.isEmpty || state.writing >= concurrentBatches {
                        let done = state.pending.isEmpty && state.finished && state.writing == 0
                        if done { state.stopped = true }
                        return ([], done)
                    }
                    state.writing += 1
                    defer { state.pending = [] }
                    return (state.pending, false)
                }
                if done { return }
                if batch.isEmpty {
                    await wake.waitIgnoringCancellation()
                    continue
                }
                group.addTask {
                    let records = await self.write(batch.map(\.completion))
                    for (pending, record) in zip(batch, records) { pending.continuation.resume(returning: record) }
                    self.state.withLock { $0.writing -= 1 }
                    self.wake.signal()
                }
            }
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
                // The pause holds also when the worker's task is cancelled (without it the
                // tries would follow each other at once and a brief store outage drop outcomes).
                let pause = delay
                await Task.detached { try? await Task.sleep(for: pause) }.value
                delay = min(delay * 2, .seconds(5))
            }
        }
        return completions.map { _ in nil }
    }
}
