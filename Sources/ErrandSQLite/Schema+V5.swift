extension Schema {
    /// Version 5: who triggered a run, published events and their subscriptions, run logs, and
    /// worker routing.
    ///
    /// - `runs` gains `origin_kind` and `origin_ref` (``Errand/RunOrigin``), `event_id`,
    ///   `required_labels` and `cost`. `required_labels` is a JSON array of the sorted labels
    ///   (`["gpu","large"]`), or `NULL` when the run requires none, so a claim checks the common
    ///   case with one `required_labels IS NULL` and parses nothing.
    /// - `runs_origin` lists runs by origin kind and reference newest first in one ordered probe
    ///   (by kind alone it finds the rows, which are then sorted, keeping only a page); `runs_event`
    ///   finds the runs an event caused (only runs with an event are in it).
    /// - `events`: published events. `id` is unique, so of two publishers racing with one id
    ///   exactly one stores its event (and its runs); `sequence` orders the listing and is its
    ///   cursor; `run_ids` is a JSON array of the runs it caused.
    /// - `subscriptions`: one row per (task, pattern); `filter` is the ``Errand/EventFilter`` as
    ///   a JSON object, `tags` and `required_labels` JSON arrays.
    /// - `run_logs`: a run's log lines by position `idx` (1, 2, …); `metadata` is a JSON object of
    ///   strings. At most ``Errand/RunLogLine/maximumPerRun`` lines per run.
    static let v5 = """
        ALTER TABLE runs ADD COLUMN origin_kind TEXT NOT NULL DEFAULT 'app';
        ALTER TABLE runs ADD COLUMN origin_ref TEXT;
        ALTER TABLE runs ADD COLUMN event_id TEXT;
        ALTER TABLE runs ADD COLUMN required_labels TEXT;
        ALTER TABLE runs ADD COLUMN cost INTEGER NOT NULL DEFAULT 1;

        -- Listing by origin (kind, or kind and reference), newest first.
        CREATE INDEX runs_origin ON runs (origin_kind, origin_ref, sequence);
        -- The runs a published event caused.
        CREATE INDEX runs_event ON runs (event_id, sequence) WHERE event_id IS NOT NULL;

        CREATE TABLE events (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            payload BLOB NOT NULL,
            published_at REAL NOT NULL,
            origin_kind TEXT NOT NULL,
            origin_ref TEXT,
            run_ids TEXT NOT NULL DEFAULT '[]'
        );
        -- Listing one event name newest first.
        CREATE INDEX events_name ON events (name, sequence);

        CREATE TABLE subscriptions (
            task TEXT NOT NULL,
            pattern TEXT NOT NULL,
            filter TEXT NOT NULL,
            delay_ms INTEGER,
            queue TEXT NOT NULL,
            priority INTEGER NOT NULL,
            max_attempts INTEGER NOT NULL,
            tags TEXT NOT NULL,
            required_labels TEXT NOT NULL,
            cost INTEGER NOT NULL,
            PRIMARY KEY (task, pattern)
        ) WITHOUT ROWID;

        CREATE TABLE run_logs (
            run_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL,
            metadata TEXT NOT NULL,
            at REAL NOT NULL,
            PRIMARY KEY (run_id, idx)
        ) WITHOUT ROWID;
        """
}
