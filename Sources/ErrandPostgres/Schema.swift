/// The versioned schema of the PostgreSQL store.
///
/// Each version is a list of statements that ``PostgresRunStore/migrate()`` runs once per schema,
/// in one transaction, recorded in `errand_migrations`. Never edit a released version: add the
/// next one.
///
/// The indexes are shaped like the queries that use them; partial indexes only hold the rows in
/// the statuses a query looks at, so a million finished or delayed runs cost a claim nothing.
enum Schema {
    /// The versions, oldest first: `versions[0]` is version 1.
    static func versions(_ t: Tables) -> [[String]] {
        [v1(t), v2(t), v3(t), v4(t), v5(t), v6(t), v7(t), v8(t)]
    }

    /// The first version whose `errand_migrations` row has a `compatible_from` column.
    static let compatibilityVersion = 5

    /// The oldest schema version a build must know to run on a schema where `version` is
    /// applied, recorded in `errand_migrations.compatible_from`: a build refuses a schema with a
    /// greater one (``PostgresSchemaError/tooNew(schema:applied:oldestCompatible:known:)``) and
    /// runs, with a warning, on a newer schema whose versions all allow it.
    ///
    /// Versions 1 to 6 and 8 do not break an older build (version 4 only leaves a gap in the
    /// attempt history, see ``v4(_:)``). Version 7 does: an older build would not see the last attempt
    /// of a run completed by its first successful attempt (``v7(_:)``), so it needs a build that
    /// knows version 7. A later version that changes what older builds must read or write sets
    /// its own number here.
    static func oldestCompatible(with version: Int) -> Int { version >= 7 ? 7 : 1 }

    /// The statuses a run is unfinished in, as an SQL list.
    static let unfinishedList = "('delayed', 'queued', 'executing', 'retrying', 'waiting')"
    /// The statuses a parked run waits in for its start time, as an SQL list.
    static let parkedList = "('delayed', 'retrying', 'waiting')"
    /// The final statuses, as an SQL list.
    static let finalList = "('completed', 'failed', 'canceled', 'timedOut', 'crashed', 'expired')"

    /// Version 1: every table.
    ///
    /// - `runs`: one row per run (see ``ColumnCoding`` for how values are stored). `sequence`
    ///   orders listings and is their cursor.
    /// - `attempts`: one row per attempt of a run.
    /// - `queues`: settings; a claim locks the rows of the queues it claims from, limited ones
    ///   exclusively (see ``ClaimStatements``).
    /// - `schedules`, with at most one run per (schedule, occurrence) (`runs_occurrence`).
    /// - `steps`, `wait_tokens`: durable steps by (run, key), in `position` order; tokens with
    ///   unique idempotency keys.
    /// - `events` (unique by id, `sequence` orders the listing), `subscriptions` by (task, pattern).
    /// - `run_logs`: a run's log lines by index (1, 2, …).
    static func v1(_ t: Tables) -> [String] {
        [
            """
            CREATE TABLE \(t.runs) (
                sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                task text NOT NULL,
                queue text NOT NULL,
                concurrency_key text,
                status text NOT NULL,
                priority bigint NOT NULL,
                payload bytea NOT NULL,
                tags text[] NOT NULL,
                idempotency_key text,
                idempotency_expires_at float8,
                created_at float8 NOT NULL,
                scheduled_at float8 NOT NULL,
                submitted_at float8,
                completed_at float8,
                failed_at float8,
                canceled_at float8,
                updated_at float8 NOT NULL,
                expires_at float8,
                attempt_count bigint NOT NULL DEFAULT 0,
                max_attempts bigint NOT NULL,
                execution_nanoseconds bigint NOT NULL DEFAULT 0,
                progress_message text,
                progress_percent float8,
                result bytea,
                result_note text,
                error_type text,
                error_name text,
                error_message text,
                error_stack text,
                worker_id text,
                lease_expires_at float8,
                cancel_requested_at float8,
                replay_of text,
                parent_id text,
                schedule_id text,
                occurrence_at float8,
                depth bigint NOT NULL DEFAULT 0,
                awaited boolean NOT NULL DEFAULT false,
                suspensions bigint NOT NULL DEFAULT 0,
                origin_kind text NOT NULL DEFAULT 'app',
                origin_ref text,
                event_id text,
                required_labels text[],
                cost bigint NOT NULL DEFAULT 1
            )
            """,
            // Claim candidates in claim order per concurrency group (queue, key): the runs without a
            // key in order with one range scan, a group's first runs with one seek, the keys of a
            // queue by a skip scan.
            """
            CREATE INDEX runs_claim ON \(t.runs) (queue, concurrency_key, priority DESC, scheduled_at, sequence)
                WHERE status = 'queued'
            """,
            // Promotion of due parked runs, and nextDueTime.
            "CREATE INDEX runs_due ON \(t.runs) (scheduled_at) WHERE status IN \(parkedList)",
            // Executing runs per concurrency group, for the queues' limits.
            "CREATE INDEX runs_executing ON \(t.runs) (queue, concurrency_key) WHERE status = 'executing'",
            // Lapsed leases.
            "CREATE INDEX runs_lease ON \(t.runs) (lease_expires_at) WHERE status = 'executing'",
            // Idempotency keys, unique per task.
            """
            CREATE UNIQUE INDEX runs_idempotency ON \(t.runs) (task, idempotency_key)
                WHERE idempotency_key IS NOT NULL
            """,
            // Exactly once: one run per (schedule, occurrence), however many schedulers fire.
            """
            CREATE UNIQUE INDEX runs_occurrence ON \(t.runs) (schedule_id, occurrence_at)
                WHERE schedule_id IS NOT NULL AND occurrence_at IS NOT NULL
            """,
            // Listing one task's runs newest first.
            "CREATE INDEX runs_task ON \(t.runs) (task, sequence)",
            // Runs whose time to live may pass.
            "CREATE INDEX runs_expiry ON \(t.runs) (expires_at) WHERE expires_at IS NOT NULL AND status IN ('queued', 'delayed')",
            // Pruning finished runs by finish time.
            """
            CREATE INDEX runs_finished ON \(t.runs) (status, (coalesce(completed_at, failed_at, canceled_at)))
                WHERE status IN \(finalList)
            """,
            // A run's children; listing by origin and by event.
            "CREATE INDEX runs_parent ON \(t.runs) (parent_id, sequence) WHERE parent_id IS NOT NULL",
            "CREATE INDEX runs_origin ON \(t.runs) (origin_kind, origin_ref, sequence)",
            "CREATE INDEX runs_event ON \(t.runs) (event_id, sequence) WHERE event_id IS NOT NULL",
            """
            CREATE TABLE \(t.attempts) (
                run_id text NOT NULL,
                number bigint NOT NULL,
                worker_id text NOT NULL,
                started_at float8 NOT NULL,
                ended_at float8,
                outcome text,
                error_type text,
                error_name text,
                error_message text,
                error_stack text,
                PRIMARY KEY (run_id, number)
            )
            """,
            """
            CREATE TABLE \(t.queues) (
                name text PRIMARY KEY,
                concurrency bigint,
                paused boolean NOT NULL DEFAULT false
            )
            """,
            """
            CREATE TABLE \(t.schedules) (
                id text COLLATE "C" PRIMARY KEY,
                key text NOT NULL UNIQUE,
                external_id text,
                task text NOT NULL,
                expression text NOT NULL,
                kind text NOT NULL,
                time_zone text NOT NULL,
                anchor_at float8,
                payload bytea NOT NULL,
                catch_up text NOT NULL,
                overlap text NOT NULL,
                paused boolean NOT NULL DEFAULT false,
                next_fire_at float8,
                last_occurrence_at float8,
                last_run_id text,
                buffered_occurrence_at float8,
                declared boolean NOT NULL,
                created_at float8 NOT NULL,
                updated_at float8 NOT NULL
            )
            """,
            "CREATE INDEX schedules_due ON \(t.schedules) (next_fire_at) WHERE NOT paused AND next_fire_at IS NOT NULL",
            """
            CREATE INDEX schedules_buffered ON \(t.schedules) (buffered_occurrence_at)
                WHERE NOT paused AND buffered_occurrence_at IS NOT NULL
            """,
            "CREATE INDEX schedules_external ON \(t.schedules) (external_id) WHERE external_id IS NOT NULL",
            "CREATE INDEX schedules_task ON \(t.schedules) (task)",
            """
            CREATE TABLE \(t.steps) (
                run_id text NOT NULL,
                key text NOT NULL,
                position bigint NOT NULL,
                kind text NOT NULL,
                status text NOT NULL,
                attempts bigint NOT NULL,
                started_at float8 NOT NULL,
                ended_at float8,
                output bytea,
                error_type text,
                error_name text,
                error_message text,
                error_stack text,
                wake_at float8,
                child_ids text[] NOT NULL DEFAULT '{}',
                token_id text,
                attempt bigint NOT NULL,
                PRIMARY KEY (run_id, key)
            )
            """,
            "CREATE INDEX steps_position ON \(t.steps) (run_id, position)",
            """
            CREATE TABLE \(t.waitTokens) (
                id text PRIMARY KEY,
                run_id text,
                idempotency_key text,
                status text NOT NULL,
                value bytea,
                created_at float8 NOT NULL,
                expires_at float8,
                resolved_at float8
            )
            """,
            "CREATE UNIQUE INDEX wait_tokens_idempotency ON \(t.waitTokens) (idempotency_key) WHERE idempotency_key IS NOT NULL",
            "CREATE INDEX wait_tokens_run ON \(t.waitTokens) (run_id) WHERE run_id IS NOT NULL",
            """
            CREATE TABLE \(t.events) (
                sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                name text NOT NULL,
                payload bytea NOT NULL,
                published_at float8 NOT NULL,
                origin_kind text NOT NULL,
                origin_ref text,
                run_ids text[] NOT NULL DEFAULT '{}'
            )
            """,
            "CREATE INDEX events_name ON \(t.events) (name, sequence)",
            """
            CREATE TABLE \(t.subscriptions) (
                task text NOT NULL,
                pattern text NOT NULL,
                filter text NOT NULL,
                delay_ms bigint,
                queue text NOT NULL,
                priority bigint NOT NULL,
                max_attempts bigint NOT NULL,
                tags text[] NOT NULL,
                required_labels text[] NOT NULL,
                cost bigint NOT NULL,
                PRIMARY KEY (task, pattern)
            )
            """,
            """
            CREATE TABLE \(t.runLogs) (
                run_id text NOT NULL,
                idx bigint NOT NULL,
                attempt bigint NOT NULL,
                level text NOT NULL,
                message text NOT NULL,
                metadata jsonb NOT NULL,
                at float8 NOT NULL,
                PRIMARY KEY (run_id, idx)
            )
            """,
        ]
    }

    /// Version 2: leases for leader election (``Errand/LeaseStore``): one row per lease name with
    /// its holder, when it runs out and since when the holder has held it.
    static func v2(_ t: Tables) -> [String] {
        [
            """
            CREATE TABLE \(t.leases) (
                name text PRIMARY KEY,
                holder text NOT NULL,
                expires_at float8 NOT NULL,
                acquired_at float8 NOT NULL
            )
            """,
        ]
    }

    /// Version 3: fewer index entries per run state change (measured: index upkeep is most of the
    /// server time of a claim and of a completion).
    ///
    /// - `runs_lease` goes: the lapsed-lease search reads the few executing runs through
    ///   `runs_executing` instead, and a heartbeat then changes no indexed column.
    /// - `runs_origin` keeps only runs not triggered from application code (`app` is nearly every
    ///   run): listing by origin `app` scans by `sequence`.
    /// - `attempts` leaves a fifth of each page free, so ending an attempt (shortly after it was
    ///   inserted, on the same page) can be a heap-only update that adds no index entry.
    static func v3(_ t: Tables) -> [String] {
        [
            "DROP INDEX \(t.schema).runs_lease",
            "DROP INDEX \(t.schema).runs_origin",
            "CREATE INDEX runs_origin ON \(t.runs) (origin_kind, origin_ref, sequence) WHERE origin_kind <> 'app'",
            "ALTER TABLE \(t.attempts) SET (fillfactor = 80)",
        ]
    }

    /// Version 4: an attempt's row is written once, when the attempt ends (measured: a claim that
    /// inserted it and a completion that found and updated it cost about a tenth of the server
    /// time of a run).
    ///
    /// - `runs.attempt_started_at`: when the run's current attempt started, set by the claim.
    ///   While the run is `executing` an attempt that has no row is read from the run's row
    ///   (``AttemptColumns``); the completion inserts the row, or, for an attempt an older
    ///   version started with a row, ends that row.
    /// - `attempts` goes back to full pages: its rows are no longer updated.
    static func v4(_ t: Tables) -> [String] {
        [
            "ALTER TABLE \(t.runs) ADD COLUMN attempt_started_at float8",
            "ALTER TABLE \(t.attempts) SET (fillfactor = 100)",
        ]
    }

    /// Version 5: each applied version records the oldest schema version a build must know to
    /// use the schema (`compatible_from`, see ``oldestCompatible(with:)``), so an older build
    /// that opens a schema a newer one migrated can tell whether it may run on it.
    static func v5(_ t: Tables) -> [String] {
        ["ALTER TABLE \(t.migrations) ADD COLUMN compatible_from int NOT NULL DEFAULT 1"]
    }

    /// Version 6: the runs waiting on a token, by token, so resolving a token wakes every run
    /// that waits on it (not only the run that made it) without reading every step.
    static func v6(_ t: Tables) -> [String] {
        ["CREATE INDEX steps_waiting_token ON \(t.steps) (token_id) WHERE status = 'waiting'"]
    }

    /// Version 7: a run that succeeds keeps its last attempt on its own row; the attempt gets no
    /// row in `attempts` (measured: about an eighth less write-ahead log per run, and an
    /// `attempts` table that holds only the attempts that did not complete their run).
    ///
    /// - `runs.attempt_worker_id`: the worker of the run's last attempt, set by the completion
    ///   that made the run `completed` from a succeeded attempt it wrote no row for. The attempt
    ///   is then read from the run's row (``AttemptColumns``): number `attempt_count`, started at
    ///   `attempt_started_at`, ended at `completed_at`, outcome `succeeded`.
    /// - Builds that know only earlier versions would miss that attempt, so they refuse this
    ///   schema (``oldestCompatible(with:)``).
    static func v7(_ t: Tables) -> [String] {
        ["ALTER TABLE \(t.runs) ADD COLUMN attempt_worker_id text"]
    }

    /// The text columns of every table that index keys hold, by table: the columns version 8
    /// compares by code point.
    static func indexedTextColumns(_ t: Tables) -> [(table: String, columns: [String])] {
        [
            (t.runs, [
                "id", "task", "queue", "concurrency_key", "status", "idempotency_key", "schedule_id", "parent_id",
                "origin_kind", "origin_ref", "event_id",
            ]),
            (t.attempts, ["run_id"]),
            (t.queues, ["name"]),
            (t.schedules, ["key", "external_id", "task"]),
            (t.steps, ["run_id", "key", "token_id"]),
            (t.waitTokens, ["id", "run_id", "idempotency_key"]),
            (t.events, ["id", "name"]),
            (t.subscriptions, ["task", "pattern"]),
            (t.runLogs, ["run_id"]),
            (t.leases, ["name"]),
        ]
    }

    /// Version 8: every text column an index key holds compares by code point (`COLLATE "C"`),
    /// whatever the database's collation (`schedules.id` already did).
    ///
    /// Under any other collation, PostgreSQL compares two strings through the C library's
    /// `strcoll`, and a claim and a completion each add index entries keyed by text (the run's
    /// id, task, queue and status) and look runs up by id: measured on this project's machine,
    /// whose databases use `C.UTF-8` (among the cheaper collations), four of five alternating
    /// pairs of `errand bench --phases drain --jobs 50000` drained faster, by 2.7 % on average,
    /// with 4 % less server CPU. Byte order is also what the SQLite store's `BINARY` collation
    /// sorts by, so both stores now order names alike.
    ///
    /// Changing a column's collation keeps its rows as they are but rebuilds the indexes on it,
    /// under an exclusive lock of its table: on a database with millions of runs the migration
    /// takes as long as building those indexes. It also drops the columns' planner statistics,
    /// so each table is analysed again in the same transaction (without, the claims would be
    /// planned blind until autovacuum next analysed a quiet table). A process of an older build
    /// that holds one of the tables while waiting for another can deadlock with the migration;
    /// PostgreSQL ends one of them and the migration's transaction is retried. Older builds run
    /// on the migrated schema unchanged.
    static func v8(_ t: Tables) -> [String] {
        let tables = indexedTextColumns(t)
        return tables.map { table, columns in
            "ALTER TABLE \(table) " + columns.map { "ALTER COLUMN \($0) TYPE text COLLATE \"C\"" }.joined(separator: ", ")
        } + tables.map { "ANALYZE \($0.table)" }
    }
}
