import GRDB

/// The versioned schema of the SQLite store.
///
/// Each version is a GRDB migration, run once per database file in an immediate transaction and
/// recorded in `grdb_migrations`. Never edit a released migration: add the next one.
///
/// The indexes are shaped exactly like the queries that use them; partial indexes only hold the
/// rows in the statuses a query looks at, so a million delayed runs cost a claim nothing.
enum Schema {
    /// The versions' SQL, oldest first: `versions[0]` is version 1, registered as `v1`.
    static let versions = [v1, v2, v3, v4, v5, v6, v7, v8]

    /// The first version that records itself in `errand_schema_versions`.
    static let compatibilityVersion = 7

    /// The oldest schema version a build must know to open a file where `version` is applied,
    /// recorded in `errand_schema_versions.compatible_from`: a build refuses a file with a greater
    /// one (``SQLiteSchemaError/tooNew(path:applied:oldestCompatible:known:)``) and opens, with a
    /// warning, a newer file whose versions all allow it.
    ///
    /// No version so far breaks an older build. A version that changes what older builds'
    /// claims or completions must write sets its own number here.
    static func oldestCompatible(with version: Int) -> Int { 1 }

    /// The migrations, oldest first: version `n` is the migration `v<n>`; from
    /// ``compatibilityVersion`` on, each also records itself in `errand_schema_versions`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (index, sql) in versions.enumerated() {
            let version = index + 1
            migrator.registerMigration("v\(version)") { db in
                try db.execute(sql: sql)
                if version >= compatibilityVersion {
                    try db.execute(
                        sql: "INSERT INTO errand_schema_versions (version, compatible_from) VALUES (?, ?)",
                        arguments: [version, oldestCompatible(with: version)]
                    )
                }
            }
        }
        return migrator
    }

    /// Refuses a file a newer build migrated to a version this build must not use, before this
    /// build touches it; returns the newest version applied when it is newer than this build's
    /// but allows it (the caller warns), `nil` otherwise.
    ///
    /// A version this build does not know is an applied migration it has not registered
    /// (GRDB's migrator would skip it without a word). Its `compatible_from` in
    /// `errand_schema_versions` says which builds may still use the file.
    ///
    /// - Throws: ``SQLiteSchemaError/tooNew(path:applied:oldestCompatible:known:)``.
    static func checkNotTooNew(_ reader: some DatabaseReader, path: String) throws -> Int? {
        let known = versions.count
        let (applied, oldestCompatible): (Int, Int) = try reader.read { db in
            let migrator = migrator
            guard try migrator.hasBeenSuperseded(db) else { return (0, 1) }
            // An identifier not of this build's `v<n>` form still means a newer build.
            let numbers = try migrator.appliedIdentifiers(db).map { Int($0.dropFirst()) ?? known + 1 }
            let applied = max(numbers.max() ?? 0, known + 1)
            guard try db.tableExists("errand_schema_versions") else { return (applied, 1) }
            let oldest = try Int.fetchOne(db, sql: "SELECT max(compatible_from) FROM errand_schema_versions") ?? 1
            return (applied, oldest)
        }
        guard applied > known else { return nil }
        if oldestCompatible > known {
            throw SQLiteSchemaError.tooNew(path: path, applied: applied, oldestCompatible: oldestCompatible, known: known)
        }
        return applied
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
