import Errand
import Foundation
import Synchronization

/// A clock that only moves when told to, for tests of anything that involves time: delays,
/// retries and backoff, timeouts, leases, schedules and retention, all without sleeping.
///
/// ```swift
/// let clock = VirtualClock()
/// let errand = Errand(store: MemoryRunStore(), clock: clock)
/// clock.advance(by: .seconds(30))   // wakes every sleeper whose deadline has come
/// ```
public final class VirtualClock: WallClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
        var activity = 0
        /// Sleepers woken (their deadline came, or they were cancelled) whose tasks have not run
        /// again yet.
        var woken = 0
    }

    private let state: Mutex<State>

    /// Creates a clock showing `start` (by default 2026-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: start))
    }

    /// The clock's time.
    public var now: Date { state.withLock { $0.now } }

    /// The earliest deadline anybody sleeps until, if anybody sleeps.
    public var nextDeadline: Date? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// How many tasks sleep on the clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Increases whenever somebody starts or stops sleeping (for ``TestErrand`` to tell when the
    /// system has settled).
    public var activity: Int { state.withLock { $0.activity } }

    /// How many sleepers were woken (by ``advance(to:)`` or by cancellation) but have not run
    /// again yet: while it is above zero the system has not settled, however quiet it looks (a
    /// woken task can wait for a thread for a while on a loaded machine).
    public var pendingWakeups: Int { state.withLock { $0.woken } }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        // Whether this sleeper waited on the clock: then whoever woke it counted it in `woken`,
        // and it is uncounted here, once its task runs again.
        var waited = false
        defer {
            if waited {
                state.withLock { state in
                    state.woken -= 1
                    state.activity += 1
                }
            }
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    state.activity += 1
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let resume { continuation.resume(with: resume) } else { waited = true }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.activity += 1
                let sleeper = state.sleepers.removeValue(forKey: id)
                if sleeper != nil { state.woken += 1 }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline has come,
    /// earliest first.
    public func advance(by duration: Duration) {
        advance(to: now.adding(duration))
    }

    /// Moves the clock to `date` (never backwards) and wakes every sleeper whose deadline has come.
    public func advance(to date: Date) {
        let due = state.withLock { state in
            state.now = max(state.now, date)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            state.woken += due.count
            if !due.isEmpty { state.activity += 1 }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
