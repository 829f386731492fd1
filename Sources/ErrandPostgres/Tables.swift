/// The schema-qualified names of the store's tables, built once when a store is made.
///
/// The schema name is validated (``PostgresRunStore/isValidSchemaName(_:)``) and quoted, so the
/// names can be spliced into SQL text; values are always bound, never spliced.
struct Tables: Sendable {
    /// The schema, quoted (`"errand"`).
    let schema: String
    let runs: String
    let attempts: String
    let queues: String
    let schedules: String
    let steps: String
    let waitTokens: String
    let events: String
    let subscriptions: String
    let runLogs: String
    let leases: String
    let migrations: String
    /// The `LISTEN`/`NOTIFY` channel of the store's change feed: `errand_<schema>`.
    let channel: String

    init(schema: String) {
        self.schema = "\"\(schema)\""
        func table(_ name: String) -> String { "\"\(schema)\".\(name)" }
        runs = table("runs")
        attempts = table("attempts")
        queues = table("queues")
        schedules = table("schedules")
        steps = table("steps")
        waitTokens = table("wait_tokens")
        events = table("events")
        subscriptions = table("subscriptions")
        runLogs = table("run_logs")
        leases = table("leases")
        migrations = table("errand_migrations")
        channel = "errand_\(schema)"
    }
}
