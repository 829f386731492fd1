import Foundation

/// The schedule half of a store: schedules CRUD and the one transaction that fires an occurrence.
///
/// A separate protocol from ``RunStore`` (a store may implement both; ``MemoryRunStore`` and
/// `SQLiteRunStore` do), with the same shape: batch-friendly operations, each one transaction.
/// Every store passes `ScheduleStoreConformance` of `ErrandStoreTests`.
///
/// ## Exactly once
/// Two guarantees make every occurrence fire once, however many schedulers run:
/// 1. ``fireSchedule(_:)`` is a compare-and-set: it applies only while the schedule's
///    ``Schedule/nextFireAt`` and ``Schedule/bufferedOccurrenceAt`` still have the values the
///    scheduler read (and the schedule is not paused), so of two schedulers that read the same
///    state one fires and the other gets ``ScheduleFireResult/stale(_:)``.
/// 2. A store holds at most one run per (``RunRecord/scheduleID``, ``RunRecord/occurrenceAt``)
///    (SQLite: a unique index). Inserting a run for an occurrence that already has one, with
///    ``fireSchedule(_:)`` or ``RunStore/insertRuns(_:now:)``, inserts nothing and returns the
///    existing run's id with `created: false`.
public protocol ScheduleStore: Sendable {
    /// Stores schedules by ``Schedule/key`` in one transaction; see ``ScheduleConflict`` for what
    /// happens when a key exists. Returns one result per schedule, in order.
    func upsertSchedules(_ schedules: [Schedule], onConflict: ScheduleConflict, now: Date) async throws -> [ScheduleUpsertResult]

    /// The schedule with an id, or `nil`.
    func schedule(id: String) async throws -> Schedule?

    /// The schedule with a key, or `nil`.
    func schedule(key: String) async throws -> Schedule?

    /// Schedules matching the query, by id (oldest first), a page at a time.
    func listSchedules(_ query: ScheduleQuery) async throws -> [Schedule]

    /// Pauses or resumes a schedule. Only a change of the flag writes anything: pausing also
    /// drops a buffered occurrence; resuming sets ``Schedule/nextFireAt`` to what `nextFireAt`
    /// returns for the schedule as stored, read in the same transaction as the write (so a
    /// definition changed by a concurrent upsert is the one it is computed from). `nextFireAt` is
    /// called only when a paused schedule is resumed; an error it throws leaves the schedule as it
    /// was. Returns the schedule as it is after the call, or `nil` when there is none with that id.
    func setSchedulePaused(
        id: String, paused: Bool, now: Date, nextFireAt: @escaping @Sendable (Schedule) throws -> Date?
    ) async throws -> Schedule?

    /// Deletes a schedule (its runs are kept). Returns the deleted schedule, or `nil`.
    func deleteSchedule(id: String) async throws -> Schedule?

    /// Deletes every declared schedule whose key is not in `keys` (schedules created at run time
    /// are kept): the removal step of reconciliation. Returns the deleted schedules.
    func deleteDeclaredSchedules(except keys: Set<String>) async throws -> [Schedule]

    /// Unpaused schedules with work at `now`, with the status of each one's last run: those whose
    /// ``Schedule/nextFireAt`` is at or before `now`, and those holding a buffered occurrence.
    /// In ``DueSchedule/ordered(_:now:limit:)``'s order (those that only wait for their last run
    /// last); at most `limit`.
    func dueSchedules(now: Date, limit: Int) async throws -> [DueSchedule]

    /// The earliest ``Schedule/nextFireAt`` of unpaused schedules, so a scheduler can sleep until
    /// then.
    func nextScheduleFireTime() async throws -> Date?

    /// Fires occurrences in one transaction: the compare-and-set of the schedule's state, the
    /// runs (one per occurrence; an occurrence that already has a run is skipped), and the new
    /// ``Schedule/lastRunID`` (the last run's id, when there are runs). See ``ScheduleFiring``.
    func fireSchedule(_ firing: ScheduleFiring) async throws -> ScheduleFireResult
}
