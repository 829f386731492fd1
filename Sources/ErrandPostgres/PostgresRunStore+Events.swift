import Errand
import Foundation

extension PostgresRunStore {
    /// Stores a published event and its runs in one transaction (see ``EventColumns``); see
    /// ``RunStore/publishEvent(_:runs:now:)``.
    public func publishEvent(_ event: EventRecord, runs: [NewRun], now: Date) async throws -> PublishResult {
        try await transaction { [self] session in
            let (result, due) = try await EventColumns.publish(event, runs: runs, now: now, tables, session)
            if due { try await ChangeNotifier.notify(tables, session) }
            return result
        }
    }

    /// The event with this id.
    public func event(id: String) async throws -> EventRecord? {
        try await session { [self] session in try await EventColumns.fetch(id: id, tables, session) }
    }

    /// Events newest first (by the order they were stored), optionally with one name.
    public func listEvents(_ query: EventQuery) async throws -> EventPage {
        try await session { [self] session in try await EventColumns.list(query, tables, session) }
    }

    /// Replaces the stored subscriptions of `tasks`, in one transaction.
    public func replaceSubscriptions(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>) async throws {
        try await transaction { [self] session in try await SubscriptionColumns.replace(subscriptions, forTasks: tasks, tables, session) }
    }

    /// Every stored subscription, ordered by task and pattern.
    public func subscriptions() async throws -> [EventSubscription] {
        try await session { [self] session in try await SubscriptionColumns.all(tables, session) }
    }

    /// Appends log lines in one transaction (see ``LogColumns``); see ``RunStore/appendLogs(_:)``.
    public func appendLogs(_ lines: [RunLogLine]) async throws {
        if lines.isEmpty { return }
        try await transaction { [self] session in try await LogColumns.append(lines, tables, session) }
    }

    /// A run's log lines after `index`, in order, at most `limit`.
    public func logs(runID: RunID, after index: Int, limit: Int) async throws -> [RunLogLine] {
        guard limit > 0 else { return [] }
        return try await session { [self] session in try await LogColumns.lines(runID: runID, after: index, limit: limit, tables, session) }
    }
}
