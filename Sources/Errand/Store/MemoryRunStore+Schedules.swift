import Foundation

/// ``ScheduleStore`` in memory: the reference implementation of schedules.
extension MemoryRunStore: ScheduleStore {
    /// Stores schedules by key; see ``ScheduleStore/upsertSchedules(_:onConflict:now:)``.
    public func upsertSchedules(_ schedules: [Schedule], onConflict: ScheduleConflict, now: Date) async throws -> [ScheduleUpsertResult] {
        state.withLock { state in
            schedules.map { schedule in
                guard let id = state.scheduleKeys[schedule.key], var existing = state.schedules[id] else {
                    state.schedules[schedule.id] = schedule
                    state.scheduleKeys[schedule.key] = schedule.id
                    return ScheduleUpsertResult(schedule: schedule, outcome: .created)
                }
                guard onConflict == .updateDefinition, !existing.hasSameDefinition(as: schedule) else {
                    return ScheduleUpsertResult(schedule: existing, outcome: .unchanged)
                }
                existing.adoptDefinition(of: schedule, at: now)
                state.schedules[id] = existing
                return ScheduleUpsertResult(schedule: existing, outcome: .updated)
            }
        }
    }

    /// The schedule with an id, or `nil`.
    public func schedule(id: String) async throws -> Schedule? {
        state.withLock { $0.schedules[id] }
    }

    /// The schedule with a key, or `nil`.
    public func schedule(key: String) async throws -> Schedule? {
        state.withLock { state in state.scheduleKeys[key].flatMap { state.schedules[$0] } }
    }

    /// Schedules matching the query, by id; see ``ScheduleStore/listSchedules(_:)``.
    public func listSchedules(_ query: ScheduleQuery) async throws -> [Schedule] {
        let limit = max(1, min(query.limit, 1000))
        return state.withLock { state in
            Array(state.schedules.values.filter(query.matches).sorted { $0.id < $1.id }.prefix(limit))
        }
    }

    /// Pauses or resumes a schedule; see ``ScheduleStore/setSchedulePaused(id:paused:now:nextFireAt:)``.
    public func setSchedulePaused(
        id: String, paused: Bool, now: Date, nextFireAt: @escaping @Sendable (Schedule) throws -> Date?
    ) async throws -> Schedule? {
        try state.withLock { state in
            guard var schedule = state.schedules[id] else { return nil }
            guard schedule.paused != paused else { return schedule }
            if paused {
                schedule.bufferedOccurrenceAt = nil
            } else {
                schedule.nextFireAt = try nextFireAt(schedule)
            }
            schedule.paused = paused
            schedule.updatedAt = now
            state.schedules[id] = schedule
            return schedule
        }
    }

    /// Deletes a schedule (its runs are kept).
    public func deleteSchedule(id: String) async throws -> Schedule? {
        state.withLock { state in
            guard let schedule = state.schedules.removeValue(forKey: id) else { return nil }
            state.scheduleKeys[schedule.key] = nil
            return schedule
        }
    }

    /// Deletes declared schedules whose keys are not listed; see ``ScheduleStore/deleteDeclaredSchedules(except:)``.
    public func deleteDeclaredSchedules(except keys: Set<String>) async throws -> [Schedule] {
        state.withLock { state in
            let victims = state.schedules.values.filter { $0.declared && !keys.contains($0.key) }.sorted { $0.id < $1.id }
            for victim in victims {
                state.schedules[victim.id] = nil
                state.scheduleKeys[victim.key] = nil
            }
            return victims
        }
    }

    /// Schedules with work at `now`; see ``ScheduleStore/dueSchedules(now:limit:)``.
    public func dueSchedules(now: Date, limit: Int) async throws -> [DueSchedule] {
        guard limit > 0 else { return [] }
        return state.withLock { state in
            let candidates = state.schedules.values.filter { !$0.paused }.map { schedule in
                DueSchedule(schedule: schedule, lastRunStatus: schedule.lastRunID.flatMap { state.runs[$0]?.status })
            }
            return DueSchedule.ordered(candidates, now: now, limit: limit)
        }
    }

    /// The earliest next fire time of unpaused schedules.
    public func nextScheduleFireTime() async throws -> Date? {
        state.withLock { state in
            state.schedules.values.lazy.filter { !$0.paused }.compactMap(\.nextFireAt).min()
        }
    }

    /// Fires occurrences under the store's lock; see ``ScheduleStore/fireSchedule(_:)``.
    public func fireSchedule(_ firing: ScheduleFiring) async throws -> ScheduleFireResult {
        state.withLock { state in
            guard var schedule = state.schedules[firing.scheduleID] else { return .stale(nil) }
            guard !schedule.paused,
                  schedule.nextFireAt == firing.expectedNextFireAt,
                  schedule.bufferedOccurrenceAt == firing.expectedBufferedOccurrenceAt
            else { return .stale(schedule) }
            let results = Self.insert(firing.runs, now: firing.now, into: &state)
            schedule.nextFireAt = firing.nextFireAt
            schedule.lastOccurrenceAt = firing.lastOccurrenceAt
            schedule.bufferedOccurrenceAt = firing.bufferedOccurrenceAt
            if let last = results.last { schedule.lastRunID = last.id }
            schedule.updatedAt = firing.now
            state.schedules[schedule.id] = schedule
            return .fired(schedule, results)
        }
    }
}
