import Errand
import ErrandPostgres
import Foundation
import PostgresNIO

/// The bench's own SQL on the PostgreSQL store: the untimed resets, the database's
/// `synchronous_commit`, and fast fills of stored runs. Bench-only: the store's production code
/// knows none of it.
///
/// Table names come from the store's schema (validated by the store, so safe to splice); the
/// only other spliced values are numbers.
enum PostgresBenchSQL {
    /// Runs `sql` (one statement, outside a transaction) and returns its rows.
    @discardableResult
    static func execute(_ store: PostgresRunStore, _ sql: String) async throws -> [PostgresRow] {
        do {
            return try await store.client.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: connection.logger).collect()
            }
        } catch let error as PSQLError {
            let message = error.serverInfo?[.message] ?? String(reflecting: error)
            throw BenchError("PostgreSQL refused \"\(sql.prefix(120))\": \(message)")
        }
    }

    /// The store's schema, quoted.
    static func schema(_ store: PostgresRunStore) -> String { "\"\(store.schema)\"" }

    /// Before each phase: `TRUNCATE` every table of the store's schema except the migrations
    /// (so the schema stays migrated), then ``settle(_:)``.
    static func reset(_ store: PostgresRunStore) async throws {
        let rows = try await execute(
            store,
            "SELECT tablename FROM pg_tables WHERE schemaname = '\(store.schema)' AND tablename <> 'errand_migrations' ORDER BY tablename"
        )
        let tables = try rows.map { "\(schema(store)).\"\(try $0.decode(String.self))\"" }
        if !tables.isEmpty {
            try await execute(store, "TRUNCATE \(tables.joined(separator: ", ")) RESTART IDENTITY")
        }
        try await settle(store)
    }

    /// `VACUUM ANALYZE` of the database, then a `CHECKPOINT`, as the peer harness does before
    /// each phase and after filling the queue.
    static func settle(_ store: PostgresRunStore) async throws {
        try await execute(store, "VACUUM ANALYZE")
        try await execute(store, "CHECKPOINT")
    }

    /// Whether any run is in one of `statuses`: for each status, the first run in the order of
    /// that status's partial index (`runs_claim`, `runs_executing`, `runs_due`, `runs_finished`),
    /// in one statement. The order is what makes PostgreSQL read the index: right after the
    /// bench's `VACUUM ANALYZE` of an empty table, an `EXISTS` or a `LIMIT 1` without it is
    /// planned as a sequential scan that stops at the first match (20 ms over 50,000 runs when
    /// none matches), and a count of thousands of queued runs takes milliseconds, which a poll
    /// every 5 ms takes from the system it measures.
    static func hasRuns(_ store: PostgresRunStore, statuses: [RunStatus]) async throws -> Bool {
        guard !statuses.isEmpty else { return false }
        let probes = statuses.map { status in
            let order = switch status {
            case .queued: "queue, concurrency_key, priority DESC, scheduled_at, sequence"
            case .executing: "queue, concurrency_key"
            case .delayed, .retrying, .waiting: "scheduled_at"
            case .completed, .failed, .canceled, .timedOut, .crashed, .expired: "status, coalesce(completed_at, failed_at, canceled_at)"
            }
            return "(SELECT 1 FROM \(schema(store)).runs WHERE status = '\(status.rawValue)' ORDER BY \(order) LIMIT 1) IS NOT NULL"
        }
        return try await execute(store, "SELECT \(probes.joined(separator: " OR "))").first?.decode(Bool.self) ?? false
    }

    /// Opens `count` of the pool's connections before a timed phase (the peers' pools are open
    /// when their clocks start): `count` short queries at once, each on a connection of its own.
    static func openConnections(_ store: PostgresRunStore, count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask { try await execute(store, "SELECT pg_sleep(0.02)") }
            }
            try await group.waitForAll()
        }
    }

    /// `ALTER DATABASE <current> SET synchronous_commit = on|off`: the peer harness's `--sync`,
    /// picked up by every session opened afterwards. Returns the database's name.
    static func setSynchronousCommit(_ store: PostgresRunStore, on: Bool) async throws -> String {
        let name = try await execute(store, "SELECT current_database()").first?.decode(String.self) ?? ""
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try await execute(store, "ALTER DATABASE \(quoted) SET synchronous_commit = \(on ? "on" : "off")")
        return name
    }

    /// Stores `count` delayed runs of `task`, due from 30 days from now on, one second apart
    /// (one `INSERT … SELECT` over `generate_series`).
    static func fillDelayed(_ store: PostgresRunStore, task: String, count: Int) async throws {
        guard count > 0 else { return }
        let now = Date().timeIntervalSinceReferenceDate
        try await execute(
            store,
            """
            INSERT INTO \(schema(store)).runs (id, task, queue, status, priority, payload, tags, created_at, scheduled_at, updated_at, max_attempts)
            SELECT 'run_bench_delayed_' || g, '\(task)', '\(task)', 'delayed', 0, convert_to('{"i":' || g || '}', 'UTF8'), '{}',
                   \(now), \(now + 30 * 24 * 3600) + g, \(now), 1
            FROM generate_series(1, \(count)) AS g
            """
        )
    }

    /// Stores `count` completed runs of `task`, finished in the last day, each with its one
    /// succeeded attempt (two `INSERT … SELECT` over `generate_series`).
    static func fillFinished(_ store: PostgresRunStore, task: String, count: Int) async throws {
        guard count > 0 else { return }
        let start = Date().timeIntervalSinceReferenceDate - 24 * 3600
        let step = 24 * 3600 / Double(count)
        try await execute(
            store,
            """
            INSERT INTO \(schema(store)).runs (id, task, queue, status, priority, payload, tags, created_at, scheduled_at,
                submitted_at, completed_at, updated_at, attempt_count, max_attempts, execution_nanoseconds, worker_id)
            SELECT 'run_bench_finished_' || g, '\(task)', '\(task)', 'completed', 0, convert_to('{"i":' || g || '}', 'UTF8'), '{}',
                   t, t, t + 0.001, t + 0.002, t + 0.002, 1, 1, 1000000, 'bench'
            FROM generate_series(1, \(count)) AS g, LATERAL (SELECT \(start) + g * \(step) AS t) AS times
            """
        )
        try await execute(
            store,
            """
            INSERT INTO \(schema(store)).attempts (run_id, number, worker_id, started_at, ended_at, outcome)
            SELECT 'run_bench_finished_' || g, 1, 'bench', t + 0.001, t + 0.002, 'succeeded'
            FROM generate_series(1, \(count)) AS g, LATERAL (SELECT \(start) + g * \(step) AS t) AS times
            """
        )
    }
}
