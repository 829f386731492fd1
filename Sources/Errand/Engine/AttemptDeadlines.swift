import Foundation
import Synchronization

/// One timer for all of a worker's attempts: it sleeps until the earliest deadline (timeout or
/// maximum duration) of the attempts in flight and interrupts those whose deadline has passed.
///
/// Adding an attempt wakes it only when the new deadline is earlier than the one it sleeps
/// until, so a busy worker with uniform timeouts adds no timer work per attempt.
final class AttemptDeadlines: Sendable {
    private struct State {
        var attempts: [ObjectIdentifier: AttemptControl] = [:]
        /// The deadline the loop sleeps until; `nil` while it waits for work or works out the
        /// next deadline, so an attempt added meanwhile always signals and the loop looks again.
        var sleepingUntil: Date?
        var stopped = false
    }

    private let state = Mutex(State())
    private let wake = WakeSignal()

    /// The deadline the timer sleeps until; `nil` while it waits for work.
    var nextWake: Date? { state.withLock { $0.sleepingUntil } }

    func add(_ control: AttemptControl) {
        let deadline = control.deadline
        let signal = state.withLock { state in
            state.attempts[ObjectIdentifier(control)] = control
            return state.sleepingUntil.map { deadline < $0 } ?? true
        }
        if signal { wake.signal() }
    }

    func remove(_ control: AttemptControl) {
        _ = state.withLock { $0.attempts.removeValue(forKey: ObjectIdentifier(control)) }
    }

    /// An attempt's deadline moved (`setTimeout`).
    func deadlineChanged() {
        wake.signal()
    }

    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    /// Interrupts attempts as their deadlines pass, until ``stop()`` or cancellation.
    func run(clock: any WallClock) async {
        while !Task.isCancelled {
            let now = clock.now
            // Cleared with the copy: an attempt added from here on signals (see `add`) rather
            // than compare with the deadline of the last round, which may be past.
            let attempts = state.withLock { state in
                state.sleepingUntil = nil
                return Array(state.attempts.values)
            }
            var earliest: Date?
            // A decided attempt is skipped: one whose outcome write is slow (the database
            // restarting) would otherwise keep a past deadline here and the loop would spin.
            for control in attempts where !control.isDecided && !control.checkDeadline(now: now) {
                let deadline = control.deadline
                earliest = earliest.map { min($0, deadline) } ?? deadline
            }
            let stopped = state.withLock { state in
                state.sleepingUntil = earliest
                return state.stopped
            }
            if stopped { return }
            await wake.wait(until: earliest, clock: clock)
        }
    }
}
