import Errand
import Foundation

extension PostgresRunStore {
    /// Creates or updates queue settings in one statement, keeping their pause flags. Only the
    /// queues whose row is missing or has another limit are written (a worker's start repeats
    /// its settings, and a write makes claims leave the queue alone for a moment). For those,
    /// the statement first takes each queue's ``QueueSettingsLock`` (so claims arriving
    /// meanwhile leave the queues alone instead of starving the write), then writes the rows in
    /// code-point order of their names, the order a claim locks them in, so the two never wait
    /// for each other in a cycle.
    public func upsertQueues(_ queues: [QueueConfig]) async throws {
        if queues.isEmpty { return }
        var latest: [String: Int?] = [:]
        for queue in queues { latest[queue.name] = queue.concurrency }
        let names = latest.keys.sorted()
        // A limit travels as -1 for none: a bound array cannot hold NULL.
        let limits = names.map { latest[$0].flatMap { $0 } ?? -1 }
        try await session { [self] session in
            try await session.execute(
                """
                WITH wanted AS (
                    SELECT v.name, nullif(v.concurrency, -1) AS concurrency
                    FROM unnest(\(names)::text[], \(limits)::int8[]) AS v(name, concurrency)
                    WHERE NOT EXISTS (
                        SELECT 1 FROM \(unescaped: tables.queues) AS q
                        WHERE q.name = v.name AND q.concurrency IS NOT DISTINCT FROM nullif(v.concurrency, -1)
                    )
                ), announced AS (
                    \(unescaped: QueueSettingsLock.exclusive(namesIn: "ARRAY(SELECT name FROM wanted)", tables))
                )
                INSERT INTO \(unescaped: tables.queues) (name, concurrency)
                SELECT name, concurrency FROM wanted WHERE (SELECT keys FROM announced) > 0
                ORDER BY name COLLATE "C"
                ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency
                """
            )
        }
    }

    /// Creates the queues that have no row yet, with no limit and not paused, in one statement.
    /// No ``QueueSettingsLock`` is needed: a new row says what a claim already assumes of a queue
    /// without one (no limit, not paused), and an existing row is neither changed nor locked
    /// (`ON CONFLICT DO NOTHING`), so claims holding it are not waited for.
    public func createMissingQueues(_ names: [String]) async throws {
        if names.isEmpty { return }
        try await session { [self] session in
            try await session.execute(
                """
                INSERT INTO \(unescaped: tables.queues) (name, concurrency)
                SELECT name, NULL::int8 FROM (SELECT DISTINCT name FROM unnest(\(names)::text[]) AS v(name)) AS v
                ORDER BY name COLLATE "C"
                ON CONFLICT (name) DO NOTHING
                """
            )
        }
    }

    /// Pauses or resumes a queue, creating it without a limit if unknown, after taking its
    /// ``QueueSettingsLock`` (so claims arriving meanwhile cannot starve the write). A resume is
    /// announced on the change feed, so idle workers in every process claim the queue's runs.
    public func setQueuePaused(_ name: String, paused: Bool) async throws {
        try await session { [self] session in
            try await session.execute(
                """
                WITH target AS (SELECT \(name)::text AS name), announced AS (
                    \(unescaped: QueueSettingsLock.exclusive(namesIn: "ARRAY(SELECT name FROM target)", tables))
                )
                INSERT INTO \(unescaped: tables.queues) (name, concurrency, paused)
                SELECT name, NULL, \(paused) FROM target WHERE (SELECT keys FROM announced) > 0
                ON CONFLICT (name) DO UPDATE SET paused = excluded.paused
                """
            )
            // Resumed runs are due: tell idle workers in every process (after the commit above).
            if !paused { try await ChangeNotifier.notify(tables, session) }
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
