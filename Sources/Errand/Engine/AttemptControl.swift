import Foundation
import Synchronization

/// Why an attempt was told to stop before its handler returned.
enum Interruption: Sendable, Hashable {
    /// The attempt's timeout passed.
    case timeout(Duration)
    /// The run's maximum duration passed.
    case maxDuration(Duration)
    /// The run was canceled.
    case canceled
    /// The worker is shutting down and the grace period is over.
    case shutdown
    /// The worker lost the run's lease (rescued elsewhere).
    case leaseLost
}

/// The shared, mutable side of one attempt, used by the handler's context, the worker and the
/// worker's ``AttemptDeadlines``.
///
/// It decides the attempt's result exactly once: either the handler's own result or an
/// interruption (timeout, maximum duration, cancel, shutdown, lost lease), whichever comes first.
/// An interruption also cancels the handler's task; the worker records the outcome at once and
/// keeps the slot until the handler has returned.
///
/// Invariants: `result` is set at most once; `interruption` is set only if it decided the result.
final class AttemptControl: Sendable {
    private struct State {
        var timeout: Duration
        var interruption: Interruption?
        var result: AttemptResult?
        var waiter: CheckedContinuation<AttemptResult, Never>?
        var cancelHandler: (@Sendable () -> Void)?
    }

    let startedAt: Date
    /// The latest the attempt may run to because of the run's `maxDuration` (`nil` = no limit).
    let maxDurationDeadline: Date?
    let maxDuration: Duration?
    private let state: Mutex<State>
    private let progressWriter: @Sendable (String?, Double?) async throws -> Void
    private let deadlineChanged: @Sendable () -> Void

    init(
        startedAt: Date, timeout: Duration, maxDuration: Duration?, usedDuration: Duration,
        progressWriter: @escaping @Sendable (String?, Double?) async throws -> Void,
        deadlineChanged: @escaping @Sendable () -> Void = {}
    ) {
        self.startedAt = startedAt
        self.maxDuration = maxDuration
        self.maxDurationDeadline = maxDuration.map { startedAt.adding(max(.zero, $0 - usedDuration)) }
        self.state = Mutex(State(timeout: timeout))
        self.progressWriter = progressWriter
        self.deadlineChanged = deadlineChanged
    }

    var interruption: Interruption? { state.withLock { $0.interruption } }

    /// Whether the attempt's result is decided (the handler returned or threw, or an interruption
    /// came first): its deadline no longer matters, even while its outcome is still being written.
    var isDecided: Bool { state.withLock { $0.result != nil } }

    var timeout: Duration { state.withLock { $0.timeout } }

    /// When the attempt must stop: its timeout or the run's maximum duration, whichever is first.
    var deadline: Date {
        let timeoutDeadline = startedAt.adding(timeout)
        return maxDurationDeadline.map { min($0, timeoutDeadline) } ?? timeoutDeadline
    }

    func setTimeout(_ timeout: Duration) {
        state.withLock { $0.timeout = timeout }
        deadlineChanged()
    }

    /// Interrupts the attempt when its deadline has passed at `now`. Returns whether it did.
    @discardableResult
    func checkDeadline(now: Date) -> Bool {
        let timeout = self.timeout
        let timeoutDeadline = startedAt.adding(timeout)
        if let maxDurationDeadline, let maxDuration, maxDurationDeadline <= timeoutDeadline, now >= maxDurationDeadline {
            return interrupt(.maxDuration(maxDuration))
        }
        if now >= timeoutDeadline { return interrupt(.timeout(timeout)) }
        return false
    }

    /// Decides the result as an interruption, unless the handler's result came first, and cancels
    /// the handler. Returns whether this call decided it.
    @discardableResult
    func interrupt(_ reason: Interruption) -> Bool {
        let result = AttemptResult.interrupted(reason)
        let (decided, waiter, cancel) = state.withLock { state -> (Bool, CheckedContinuation<AttemptResult, Never>?, (@Sendable () -> Void)?) in
            guard state.result == nil else { return (false, nil, nil) }
            state.interruption = reason
            state.result = result
            defer { state.waiter = nil }
            return (true, state.waiter, state.cancelHandler)
        }
        waiter?.resume(returning: result)
        if decided { cancel?() }
        return decided
    }

    /// Offers the handler's result; ignored if an interruption came first.
    func complete(_ result: AttemptResult) {
        let waiter = state.withLock { state -> CheckedContinuation<AttemptResult, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    /// Sets what cancels the handler's task (called at most once, right after it starts). If the
    /// attempt was interrupted already, cancels at once.
    func onInterrupt(_ cancel: @escaping @Sendable () -> Void) {
        let interrupted = state.withLock { state in
            state.cancelHandler = cancel
            return state.interruption != nil
        }
        if interrupted { cancel() }
    }

    /// The attempt's result, once decided.
    func result() async -> AttemptResult {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> AttemptResult? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func reportProgress(_ message: String?, _ percent: Double?) async throws {
        try await progressWriter(message, percent)
    }
}
