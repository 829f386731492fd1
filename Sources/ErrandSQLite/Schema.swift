import GRDB

/// The versioned schema of the SQLite store.
///
/// Each version is a GRDB migration, run once per database file in an immediate transaction and
/// recorded in `grdb_migrations`. Never edit a released migration: add the next one.
///
/// The indexes are shaped exactly like the queries that use them; partial indexes only hold the
/// rows in the statuses a query looks at, so a million delayed runs cost a claim nothing.
enum Schema {
    /// The migrations, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6") { db in
            try db.execute(sql: v6)
        }
        return migrator
    }

    /// Applies every migration not applied yet.
    ///
    /// Several processes may open a new file at once. GRDB reads which migrations are applied
    /// before it opens a migration's immediate transaction, so two of them may both decide to
    /// run the same migration; the second one then fails (its tables exist) and rolls back. That
    /// failure is only real when the migrations are still incomplete afterwards: then the
    /// migrator tries again (it reads the applied migrations anew, so it goes on with the next
    /// one), up to one try per migration.
    static func migrate(_ writer: some DatabaseWriter) throws {
        let migrator = migrator
        let tries = migrator.migrations.count + 1
        for attempt in 1...tries {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                if try writer.read({ try migrator.hasCompletedMigrations($0) }) { return }
                if attempt == tries { throw error }
            }
        }
    }

    /// Version 1: runs, attempts and queues.
    static let v1 = """
        CREATE TABLE runs (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            task TEXT NOT NULL,
            queue TEXT NOT NULL,
            concurrency_key TEXT,
            status TEXT NOT NULL,
            priority INTEGER NOT NULL,
            payload BLOB NOT NULL,
            tags TEXT NOT NULL,
            idempotency_key TEXT,
            idempotency_expires_at REAL,
            created_at REAL NOT NULL,
            scheduled_at REAL NOT NULL,
            submitted_at REAL,
            completed_at REAL,
            failed_at REAL,
            canceled_at REAL,
            updated_at REAL NOT NULL,
            expires_at REAL,
            attempt_count INTEGER NOT NULL,
            max_attempts INTEGER NOT NULL,
            execution_nanoseconds INTEGER NOT NULL,
            progress_message TEXT,
            progress_percent REAL,
            result BLOB,
            result_note TEXT,
            error_type TEXT,
            error_name TEXT,
            error_message TEXT,
            error_stack TEXT,
            worker_id TEXT,
            lease_expires_at REAL,
            cancel_requested_at REAL,
            replay_of TEXT,
            parent_id TEXT,
            schedule_id TEXT,
            occurrence_at REAL
        );

        -- Claim candidates, in claim order, per concurrency group (queue, key): a claim skips a full
        -- group with one seek instead of stepping over its queued runs.
        CREATE INDEX runs_claim ON runs (queue, concurrency_key, priority DESC, scheduled_at, sequence)
            WHERE status = 'queued';
        -- Promotion of due runs, and nextDueTime.
        CREATE INDEX runs_due ON runs (status, scheduled_at) WHERE status IN ('delayed', 'retrying');
        -- Lapsed leases.
        CREATE INDEX runs_lease ON runs (lease_expires_at) WHERE status = 'executing';
        -- Executing runs per concurrency group, for the queues' limits.
        CREATE INDEX runs_executing ON runs (queue, concurrency_key) WHERE status = 'executing';
        -- Idempotency keys, unique per task.
        CREATE UNIQUE INDEX runs_idempotency ON runs (task, idempotency_key) WHERE idempotency_key IS NOT NULL;
        -- Listing one task's runs newest first.
        CREATE INDEX runs_task ON runs (task, sequence);
        -- Runs whose time to live may pass.
        CREATE INDEX runs_expiry ON runs (expires_at) WHERE expires_at IS NOT NULL AND status IN ('queued', 'delayed');
        -- Pruning finished runs by finish time.
        CREATE INDEX runs_finished ON runs (status, coalesce(completed_at, failed_at, canceled_at))
            WHERE status IN ('completed', 'failed', 'canceled', 'timedOut', 'crashed', 'expired');

        CREATE TABLE attempts (
            run_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            worker_id TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            outcome TEXT,
            error_type TEXT,
            error_name TEXT,
            error_message TEXT,
            error_stack TEXT,
            PRIMARY KEY (run_id, number)
        ) WITHOUT ROWID;

        CREATE TABLE queues (
            name TEXT NOT NULL PRIMARY KEY,
            concurrency INTEGER,
            paused INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        """
}

extension Schema {
    /// Version 2: schedules, and at most one run per schedule occurrence.
    static let v2 = """
        CREATE TABLE schedules (
            id TEXT NOT NULL PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            external_id TEXT,
            task TEXT NOT NULL,
            expression TEXT NOT NULL,
            kind TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            anchor_at REAL,
            payload BLOB NOT NULL,
            catch_up TEXT NOT NULL,
            overlap TEXT NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            next_fire_at REAL,
            last_occurrence_at REAL,
            last_run_id TEXT,
            buffered_occurrence_at REAL,
            declared INTEGER NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        ) WITHOUT ROWID;

        -- Due schedules and the scheduler's next wake-up, in fire-time order.
        CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE paused = 0 AND next_fire_at IS NOT NULL;
        -- Schedules holding a buffered occurrence (overlap bufferOne).
        CREATE INDEX schedules_buffered ON schedules (buffered_occurrence_at)
            WHERE paused = 0 AND buffered_occurrence_at IS NOT NULL;
        -- Listing by external id (one schedule per user) and by task.
        CREATE INDEX schedules_external ON schedules (external_id) WHERE external_id IS NOT NULL;
        CREATE INDEX schedules_task ON schedules (task);

        -- Exactly once: one run per (schedule, occurrence), however many schedulers fire.
        CREATE UNIQUE INDEX runs_occurrence ON runs (schedule_id, occurrence_at)
            WHERE schedule_id IS NOT NULL AND occurrence_at IS NOT NULL;
        """
}
