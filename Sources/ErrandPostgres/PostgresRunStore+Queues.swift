import Errand
import Foundation

extension PostgresRunStore {
    /// Creates or updates queue settings in one statement, keeping their pause flags. The rows
    /// are written (and locked) in code-point order of their names, the order a claim locks
    /// them in, so the two never wait for each other in a cycle; before that the statement
    /// takes each queue's ``QueueSettingsLock`` in the same order, so claims arriving meanwhile
    /// leave the queues alone instead of starving the write.
    public func upsertQueues(_ queues: [QueueConfig]) async throws {
        if queues.isEmpty { return }
        var latest: [String: Int?] = [:]
        for queue in queues { latest[queue.name] = queue.concurrency }
        let names = latest.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // A limit travels as -1 for none: a bound array cannot hold NULL.
        let limits = names.map { latest[$0].flatMap { $0 } ?? -1 }
        try await session { [self] session in
            try await session.execute(
                """
                WITH announced AS (
                    SELECT count(*) AS n FROM (
                        SELECT \(unescaped: QueueSettingsLock.exclusive("g.name", tables)) FROM unnest(\(names)::text[]) AS g(name)
                    ) AS l
                )
                INSERT INTO \(unescaped: tables.queues) (name, concurrency)
                SELECT name, nullif(concurrency, -1) FROM unnest(\(names)::text[], \(limits)::int8[]) AS v(name, concurrency)
                WHERE (SELECT n FROM announced) > 0
                ORDER BY name COLLATE "C"
                ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency
                """
            )
        }
    }

    /// Pauses or resumes a queue, creating it without a limit if unknown, after taking its
    /// ``QueueSettingsLock`` (so claims arriving meanwhile cannot starve the write).
    public func setQueuePaused(_ name: String, paused: Bool) async throws {
        try await session { [self] session in
            try await session.execute(
                """
                WITH announced AS (SELECT \(unescaped: QueueSettingsLock.exclusive("g.name", tables)) FROM (SELECT \(name)::text AS name) AS g)
                INSERT INTO \(unescaped: tables.queues) (name, concurrency, paused) SELECT \(name), NULL, \(paused) FROM announced
                ON CONFLICT (name) DO UPDATE SET paused = excluded.paused
                """
            )
        }
    }

    /// Every configured queue and every queue holding runs, by name, with counts of unfinished
    /// runs, read in one transaction.
    public func queueStates() async throws -> [QueueState] {
        try await transaction { [self] session in
            var states: [String: QueueState] = [:]
            let configured = try await session.map("SELECT name, concurrency, paused FROM \(unescaped: tables.queues)") { row in
                QueueState(config: QueueConfig(name: try row.string(0), concurrency: try row.optionalInt(1)), paused: try row.bool(2), counts: [:])
            }
            for state in configured { states[state.config.name] = state }
            let counts = try await session.map(
                """
                SELECT queue, status, count(*) FROM \(unescaped: tables.runs)
                WHERE status IN \(unescaped: Schema.unfinishedList) GROUP BY queue, status
                """
            ) { row in (try row.string(0), RunStatus(rawValue: try row.string(1)), try row.int(2)) }
            for (name, status, count) in counts {
                guard let status else { continue }
                states[name, default: QueueState(config: QueueConfig(name: name), paused: false, counts: [:])].counts[status] = count
            }
            return states.values.sorted { $0.config.name < $1.config.name }
        }
    }
}
