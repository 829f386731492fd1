import Foundation

/// Searches over past occurrences, for the scheduler's catch-up.
extension ScheduleExpression {
    /// The first occurrence at or after `date` (within a millisecond), or nil.
    func first(atOrAfter date: Date, anchor: Date) -> Date? {
        next(after: date.addingTimeInterval(-0.001), anchor: anchor)
    }

    /// The latest occurrence at or before `now`, given `first`, an occurrence at or before `now`
    /// (the schedule's due fire time, which counts as an occurrence even off the grid).
    ///
    /// Rates compute it; cron searches growing windows back from `now` (an hour, a day, a month,
    /// a year), so a frequent expression never walks a long downtime minute by minute.
    func latest(atOrBefore now: Date, startingAt first: Date, anchor: Date) -> Date {
        switch self {
        case .rate(let rate):
            let step = TimeInterval(rate.seconds)
            let elapsed = now.timeIntervalSince(anchor)
            guard elapsed >= 0 else { return first }
            var candidate = anchor.addingTimeInterval((elapsed / step).rounded(.down) * step)
            if candidate > now { candidate = candidate.addingTimeInterval(-step) }
            return max(first, candidate)
        case .cron:
            for window in [3_600, 86_400, 32 * 86_400, 400 * 86_400] as [TimeInterval] {
                let start = now.addingTimeInterval(-window)
                if start <= first { break }
                if let found = self.first(atOrAfter: start, anchor: anchor), found <= now {
                    return walk(from: found, through: now, anchor: anchor)
                }
            }
            return walk(from: first, through: now, anchor: anchor)
        }
    }

    /// The last occurrence of the walk from `start` (an occurrence) up to `now`.
    private func walk(from start: Date, through now: Date, anchor: Date) -> Date {
        var last = start
        while let next = next(after: last, anchor: anchor), next <= now { last = next }
        return last
    }

    /// The occurrences from `first` (an occurrence, included) through `now`, skipping those before
    /// `windowStart`; when more than `limit`, only the last `limit`. Returns them oldest first,
    /// with how many in the window were left out for the limit.
    func occurrences(from first: Date, notBefore windowStart: Date, through now: Date, limit: Int, anchor: Date) -> (dates: [Date], leftOut: Int) {
        var cursor: Date? = first >= windowStart ? first : self.first(atOrAfter: windowStart, anchor: anchor)
        var dates: [Date] = []
        var leftOut = 0
        while let date = cursor, date <= now {
            dates.append(date)
            if dates.count >= 2 * limit {
                leftOut += dates.count - limit
                dates.removeFirst(dates.count - limit)
            }
            cursor = next(after: date, anchor: anchor)
        }
        if dates.count > limit {
            leftOut += dates.count - limit
            dates.removeFirst(dates.count - limit)
        }
        return (dates, leftOut)
    }
}
