import Errand
import Foundation
import GRDB

extension SQLiteRunStore {
    private static let upsertQueueSQL = """
        INSERT INTO queues (name, concurrency) VALUES (?, ?)
        ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency
        """
    private static let pauseQueueSQL = """
        INSERT INTO queues (name, concurrency, paused) VALUES (?, NULL, ?)
        ON CONFLICT (name) DO UPDATE SET paused = excluded.paused
        """
    private static let createQueueSQL = "INSERT INTO queues (name, concurrency) VALUES (?, NULL) ON CONFLICT (name) DO NOTHING"
    private static let unfinishedStatusList = RunStatus.allCases.filter { !$0.isFinal }.map { "'\($0.rawValue)'" }
        .joined(separator: ", ")
    private static let countsSQL = """
        SELECT queue, status, count(*) FROM runs WHERE status IN (\(unfinishedStatusList)) GROUP BY queue, status
        """

    /// Creates or updates queue settings, keeping their pause flags.
    public func upsertQueues(_ queues: [QueueConfig]) async throws {
        if queues.isEmpty { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: Self.upsertQueueSQL)
            for queue in queues { try statement.execute(arguments: [queue.name, queue.concurrency]) }
        }
    }

    /// Creates the queues that have no settings yet, with no limit and not paused.
    public func createMissingQueues(_ names: [String]) async throws {
        if names.isEmpty { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: Self.createQueueSQL)
            for name in names { try statement.execute(arguments: [name]) }
        }
    }

    /// Pauses or resumes a queue, creating it without a limit if unknown.
    public func setQueuePaused(_ name: String, paused: Bool) async throws {
        try await write { db in
            try db.cachedStatement(sql: Self.pauseQueueSQL).execute(arguments: [name, paused])
        }
    }

    /// Every configured queue and every queue holding runs, by name, with counts of unfinished runs.
    public func queueStates() async throws -> [QueueState] {
        try await read { db in
            var states: [String: QueueState] = [:]
            let configured = try Row.fetchCursor(db.cachedStatement(sql: "SELECT name, concurrency, paused FROM queues"))
            while let row = try configured.next() {
                let name: String = row[0]
                states[name] = QueueState(config: QueueConfig(name: name, concurrency: row[1]), paused: row[2], counts: [:])
            }
            let counts = try Row.fetchCursor(db.cachedStatement(sql: Self.countsSQL))
            while let row = try counts.next() {
                let name: String = row[0]
                guard let status = RunStatus(rawValue: row[1]) else { continue }
                states[name, default: QueueState(config: QueueConfig(name: name), paused: false, counts: [:])]
                    .counts[status] = row[2]
            }
            return states.values.sorted { $0.config.name < $1.config.name }
        }
    }
}
