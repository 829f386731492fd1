extension Schema {
    /// Which rows the `runs_finished` index holds since ``v3``: the final statuses, as a chain of
    /// `OR`s. A query that reads the index (`INDEXED BY runs_finished`) must carry this very term,
    /// so SQLite can prove it only wants rows the partial index holds. It is part of a released
    /// migration: changing it takes a new migration that recreates the index.
    static let finishedCondition = """
        (status = 'completed' OR status = 'failed' OR status = 'canceled' OR status = 'timedOut' \
        OR status = 'crashed' OR status = 'expired')
        """

    /// Version 3: `runs_finished` holds the same rows, chosen by `OR`ed equalities instead of
    /// `status IN (…)`.
    ///
    /// SQLite evaluates a partial index's `WHERE` for the old and the new row of every `UPDATE`
    /// that changes `status`, and an `IN` list of more than two values costs it a temporary
    /// b-tree built for the statement and a probe of it per row: about 2–3 µs per claimed and per
    /// completed run on the hot path, for an index only pruning reads. Equalities cost next to
    /// nothing.
    static let v3 = """
        DROP INDEX IF EXISTS runs_finished;
        CREATE INDEX runs_finished ON runs (status, coalesce(completed_at, failed_at, canceled_at))
            WHERE \(finishedCondition);
        """
}
