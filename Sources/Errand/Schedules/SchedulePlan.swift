import Foundation

/// What a scheduler does with one due schedule: the catch-up and overlap policies applied to the
/// occurrences that came, as a pure function of the schedule's state, the last run's status and
/// the time.
///
/// 1. Occurrences from ``Schedule/nextFireAt`` through `now` are taken per ``CatchUpPolicy``:
///    `skip` keeps the latest only if it is on time (within `lateness` of `now`), `latest`
///    keeps the latest, `all(within:)` keeps those in the window (at most
///    ``CatchUpPolicy/maximumRuns``). The next fire time becomes the first occurrence after
///    `now`.
/// 2. A buffered occurrence goes first, then the kept ones, in time order, through the
///    ``OverlapPolicy``: `allow` runs each; `skip` runs one only while no run is unfinished;
///    `bufferOne` runs one when no run is unfinished, else buffers it if nothing is buffered,
///    else drops it. A run created here counts as unfinished for the occurrences after it.
struct SchedulePlan: Sendable, Hashable {
    /// The occurrences to run, oldest first.
    var occurrences: [Date]
    /// The new next fire time.
    var nextFireAt: Date?
    /// The new latest handled occurrence.
    var lastOccurrenceAt: Date?
    /// The new buffered occurrence.
    var bufferedOccurrenceAt: Date?
    /// Occurrences that came but neither run nor wait (dropped by a policy).
    var dropped: Int

    /// The plan for a due schedule at `now`, or nil when nothing changes (for example a buffered
    /// occurrence whose previous run is still unfinished).
    static func make(for due: DueSchedule, expression: ScheduleExpression, now: Date, lateness: Duration) -> SchedulePlan? {
        let schedule = due.schedule
        let anchor = schedule.rateAnchor
        var pending: [Date] = []
        var dropped = 0
        var nextFireAt = schedule.nextFireAt
        var lastOccurrenceAt = schedule.lastOccurrenceAt
        if let first = schedule.nextFireAt, first <= now {
            let latest = expression.latest(atOrBefore: now, startingAt: first, anchor: anchor)
            switch schedule.catchUp {
            case .skip:
                if latest >= now.adding(.zero - lateness) { pending = [latest] }
            case .latest:
                pending = [latest]
            case .all(let within):
                let window = max(within, lateness)
                let found = expression.occurrences(
                    from: first, notBefore: now.adding(.zero - window), through: now, limit: CatchUpPolicy.maximumRuns,
                    anchor: anchor
                )
                pending = found.dates
                dropped += found.leftOut
            }
            // Missed occurrences the catch-up policy drops are not counted one by one (a long
            // downtime may hold very many); `dropped` counts those the limits and overlap drop.
            nextFireAt = expression.next(after: now, anchor: anchor)
            lastOccurrenceAt = max(lastOccurrenceAt ?? latest, latest)
        }

        var candidates = pending
        if let buffered = schedule.bufferedOccurrenceAt { candidates.insert(buffered, at: 0) }
        var unfinished = due.lastRunIsUnfinished
        var occurrences: [Date] = []
        var buffered: Date?
        for occurrence in candidates {
            switch schedule.overlap {
            case .allow:
                occurrences.append(occurrence)
            case .skip:
                if unfinished {
                    dropped += 1
                } else {
                    occurrences.append(occurrence)
                    unfinished = true
                }
            case .bufferOne:
                if !unfinished {
                    occurrences.append(occurrence)
                    unfinished = true
                } else if buffered == nil {
                    buffered = occurrence
                } else {
                    dropped += 1
                }
            }
        }
        if occurrences.isEmpty, buffered == schedule.bufferedOccurrenceAt, nextFireAt == schedule.nextFireAt {
            return nil
        }
        return SchedulePlan(
            occurrences: occurrences, nextFireAt: nextFireAt, lastOccurrenceAt: lastOccurrenceAt,
            bufferedOccurrenceAt: buffered, dropped: dropped
        )
    }
}
