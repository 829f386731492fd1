extension Schema {
    /// Which rows the `runs_due` index holds since ``v4``: the parked statuses (see
    /// ``Errand/RunStatus/isParked``), as a chain of `OR`s for the reason ``v3`` gives. A query that
    /// reads the index must carry this very term. It is part of a released migration: changing it
    /// takes a new migration that recreates the index.
    static let parkedCondition = "(status = 'delayed' OR status = 'retrying' OR status = 'waiting')"

    /// Version 4: durable steps, parked (`waiting`) runs, child runs and wait tokens.
    ///
    /// - `runs` gains `depth`, `awaited` (0 or 1) and `suspensions`.
    /// - `runs_parent` finds a run's children (listing them, and whether an awaited one is
    ///   unfinished when a child ends).
    /// - `runs_due` also holds `waiting` runs, so claims promote them when due. A run parked until
    ///   woken has `Date.distantFuture` as its start time (stored like any other time).
    /// - `steps`: a run's steps by key; `position` keeps the order they were first recorded in.
    /// - `wait_tokens`: tokens, with their idempotency keys unique.
    static let v4 = """
        ALTER TABLE runs ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN awaited INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN suspensions INTEGER NOT NULL DEFAULT 0;

        -- A run's children, oldest first.
        CREATE INDEX runs_parent ON runs (parent_id, sequence) WHERE parent_id IS NOT NULL;

        -- Promotion of due runs, and nextDueTime: now with the waiting runs.
        DROP INDEX IF EXISTS runs_due;
        CREATE INDEX runs_due ON runs (status, scheduled_at) WHERE \(parkedCondition);

        CREATE TABLE steps (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            output BLOB,
            error_type TEXT,
            error_name TEXT,
            error_message TEXT,
            error_stack TEXT,
            wake_at REAL,
            child_ids TEXT NOT NULL DEFAULT '[]',
            token_id TEXT,
            attempt INTEGER NOT NULL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID;
        -- A run's steps in order, and the next position.
        CREATE INDEX steps_position ON steps (run_id, position);

        CREATE TABLE wait_tokens (
            id TEXT NOT NULL PRIMARY KEY,
            run_id TEXT,
            idempotency_key TEXT,
            status TEXT NOT NULL,
            value BLOB,
            created_at REAL NOT NULL,
            expires_at REAL,
            resolved_at REAL
        ) WITHOUT ROWID;
        -- One token per idempotency key, however many callers create it at once.
        CREATE UNIQUE INDEX wait_tokens_idempotency ON wait_tokens (idempotency_key) WHERE idempotency_key IS NOT NULL;
        -- A run's tokens (pruning).
        CREATE INDEX wait_tokens_run ON wait_tokens (run_id) WHERE run_id IS NOT NULL;
        """
}
