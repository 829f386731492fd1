import Synchronization

/// An engine's declared schedules, and the wake-ups of its schedulers.
///
/// Declarations are kept in memory until a ``Scheduler`` reconciles them with the store; each
/// change bumps ``generation`` so a running scheduler reconciles again. Run-time changes
/// (create, pause, resume, delete) call ``changed()`` so local schedulers look at the store at
/// once instead of at their next poll.
final class ScheduleRegistry: Sendable {
    private struct State {
        var declared: [NewSchedule] = []
        var generation = 0
        var schedulers: [WeakSignal] = []
    }

    private struct WeakSignal: Sendable {
        weak var signal: WakeSignal?
    }

    private let state = Mutex(State())

    /// Adds a declaration, whose ``NewSchedule/key`` must be set and not declared yet.
    func declare(_ schedule: NewSchedule) throws {
        let key = schedule.key ?? schedule.task
        try state.withLock { state in
            guard !state.declared.contains(where: { ($0.key ?? $0.task) == key }) else {
                throw ErrandError(
                    code: .invalidArgument,
                    message: "a schedule with key \(ErrandError.quote(key)) is already declared: give each declared schedule its own key (the default key is the task's name, so a task with several schedules needs key: on each)",
                    field: "key"
                )
            }
            var schedule = schedule
            schedule.key = key
            state.declared.append(schedule)
            state.generation += 1
        }
        changed()
    }

    /// The declarations, in order, and their generation.
    var snapshot: (schedules: [NewSchedule], generation: Int) {
        state.withLock { ($0.declared, $0.generation) }
    }

    /// The declarations' generation: it changes with every declaration.
    var generation: Int { state.withLock { $0.generation } }

    /// Registers a scheduler's wake-up.
    func register(_ signal: WakeSignal) {
        state.withLock { state in
            state.schedulers.removeAll { $0.signal == nil }
            state.schedulers.append(WeakSignal(signal: signal))
        }
    }

    /// Wakes this process's schedulers: schedules changed.
    func changed() {
        let signals = state.withLock { $0.schedulers.compactMap(\.signal) }
        for signal in signals { signal.signal() }
    }
}
