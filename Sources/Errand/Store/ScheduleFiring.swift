import Foundation

/// One compare-and-set of a schedule's state with the runs it creates, for
/// ``ScheduleStore/fireSchedule(_:)``.
///
/// The write applies only while the stored schedule is unpaused and its
/// ``Schedule/nextFireAt`` and ``Schedule/bufferedOccurrenceAt`` equal the expected values;
/// then the three new values are written, ``runs`` are inserted (skipping occurrences that
/// already have a run) and ``Schedule/lastRunID`` becomes the last run's id.
public struct ScheduleFiring: Sendable, Hashable {
    /// The schedule.
    public var scheduleID: String
    /// The ``Schedule/nextFireAt`` the scheduler read.
    public var expectedNextFireAt: Date?
    /// The ``Schedule/bufferedOccurrenceAt`` the scheduler read.
    public var expectedBufferedOccurrenceAt: Date?
    /// The new next fire time (`nil`: the expression never fires again).
    public var nextFireAt: Date?
    /// The new latest handled occurrence.
    public var lastOccurrenceAt: Date?
    /// The new buffered occurrence (`nil`: none).
    public var bufferedOccurrenceAt: Date?
    /// The runs to create, each with ``NewRun/scheduleID`` and ``NewRun/occurrenceAt`` set.
    public var runs: [NewRun]
    /// The time of the write (runs' creation time, the schedule's update time).
    public var now: Date

    /// Creates a firing.
    public init(
        scheduleID: String, expectedNextFireAt: Date?, expectedBufferedOccurrenceAt: Date?, nextFireAt: Date?,
        lastOccurrenceAt: Date?, bufferedOccurrenceAt: Date?, runs: [NewRun], now: Date
    ) {
        self.scheduleID = scheduleID
        self.expectedNextFireAt = expectedNextFireAt
        self.expectedBufferedOccurrenceAt = expectedBufferedOccurrenceAt
        self.nextFireAt = nextFireAt
        self.lastOccurrenceAt = lastOccurrenceAt
        self.bufferedOccurrenceAt = bufferedOccurrenceAt
        self.runs = runs
        self.now = now
    }
}
