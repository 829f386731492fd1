import Synchronization

/// Runs a store operation with a time limit that holds even when the operation ignores
/// cancellation.
///
/// A `PostgresClient` call can wait for ever when the server goes away at the wrong moment (seen
/// while PostgreSQL restarts: a call made then neither returns nor throws). A task group cannot
/// bound that: it waits for its children. So the operation runs in a task of its own, and the
/// caller waits on a continuation that the first of four things resumes: the operation's result,
/// the time limit, the caller's cancellation, or the operation abandoning itself (its connection
/// closed, see ``ClosedConnectionWatch``). Otherwise the operation's task is cancelled and left
/// behind: if it ever finishes, its result is dropped.
enum OperationDeadline {
    /// Returns `operation`'s result, or throws `expired()` once `limit` has passed (no limit when
    /// `nil`), or `CancellationError` when the calling task is cancelled first. `operation` gets
    /// a way to give up early: calling it with an error ends the wait with that error (only
    /// when there is a limit; without one it does nothing).
    static func run<T: Sendable>(
        limit: Duration?, expired: @escaping @Sendable () -> any Error,
        _ operation: @escaping @Sendable (_ abandon: @escaping @Sendable (any Error) -> Void) async throws -> T
    ) async throws -> T {
        guard let limit else { return try await operation { _ in } }
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(
                    continuation,
                    work: Task { race.finish(await Result { try await operation { race.finish(.failure($0)) } }) },
                    timer: Task {
                        // The timer is cancelled when the operation finishes first.
                        if (try? await Task.sleep(for: limit)) != nil { race.finish(.failure(expired())) }
                    }
                )
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// Who finished first, and what to cancel then.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var result: Result<T, any Error>?
            var work: Task<Void, Never>?
            var timer: Task<Void, Never>?
        }

        private let state = Mutex(State())

        /// Hands over the waiting caller and the two tasks; resumes at once when one of them (or
        /// a cancellation) already finished the race.
        func start(_ continuation: CheckedContinuation<T, any Error>, work: Task<Void, Never>, timer: Task<Void, Never>) {
            let finished: Result<T, any Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.continuation = continuation
                state.work = work
                state.timer = timer
                return nil
            }
            if let finished {
                work.cancel()
                timer.cancel()
                continuation.resume(with: finished)
            }
        }

        /// The first result wins; later ones are dropped.
        func finish(_ result: Result<T, any Error>) {
            let won = state.withLock { state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?, Task<Void, Never>?)? in
                guard state.result == nil else { return nil }
                state.result = result
                defer { (state.continuation, state.work, state.timer) = (nil, nil, nil) }
                return (state.continuation, state.work, state.timer)
            }
            guard let (continuation, work, timer) = won else { return }
            work?.cancel()
            timer?.cancel()
            continuation?.resume(with: result)
        }
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing call.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
