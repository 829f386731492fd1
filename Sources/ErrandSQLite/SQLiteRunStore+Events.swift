import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    /// Stores a published event and its runs in one savepoint of a group commit; see
    /// ``RunStore/publishEvent(_:runs:now:)``.
    ///
    /// The event row goes first (`ON CONFLICT (id) DO NOTHING`): when its id is taken, by an
    /// earlier publish or by a racing publisher in this or another process, nothing else is
    /// written and the stored event is returned. Otherwise the runs are inserted like
    /// ``insertRuns(_:now:)`` inserts them (idempotency keys included), each carrying the event's
    /// id, and the event row records their ids.
    public func publishEvent(_ event: EventRecord, runs: [NewRun], now: Date) async throws -> PublishResult {
        try await write { db in try EventColumns.publish(event, runs: runs, now: now, db) }
    }

    /// The event with this id, read from a reader connection.
    public func event(id: String) async throws -> EventRecord? {
        try await read { db in try EventColumns.fetch(id: id, db) }
    }

    /// Events newest first (by the order they were stored), optionally with one name.
    public func listEvents(_ query: EventQuery) async throws -> EventPage {
        try await read { db in try EventColumns.list(query, db) }
    }

    /// Replaces the stored subscriptions of `tasks`, in one savepoint of a group commit.
    public func replaceSubscriptions(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>) async throws {
        try await write { db in try SubscriptionColumns.replace(subscriptions, forTasks: tasks, db) }
    }

    /// Every stored subscription, ordered by task and pattern.
    public func subscriptions() async throws -> [EventSubscription] {
        try await read { db in try SubscriptionColumns.all(db) }
    }

    /// Appends log lines in one savepoint of a group commit: one `max(idx)` probe per run, then
    /// multi-row `INSERT`s; see ``RunStore/appendLogs(_:)``.
    public func appendLogs(_ lines: [RunLogLine]) async throws {
        if lines.isEmpty { return }
        try await write { db in try LogColumns.append(lines, db) }
    }

    /// A run's log lines after `index`, in order, at most `limit`, read from a reader connection.
    public func logs(runID: RunID, after index: Int, limit: Int) async throws -> [RunLogLine] {
        guard limit > 0 else { return [] }
        return try await read { db in try LogColumns.lines(runID: runID, after: index, limit: limit, db) }
    }
}
