/// The advisory lock that lets a change of a queue's settings in ahead of the claims on it.
///
/// Claims read the `queues` rows of the unlimited queues they take from `FOR SHARE`, so a change
/// that gives a queue a limit or pauses it (an `UPDATE` of its row) is ordered with them (see
/// ``DirectClaimStatements`` and ``ClaimStatements``). PostgreSQL lets a new shared row lock in
/// ahead of an `UPDATE` already waiting for the row, so under a constant stream of overlapping
/// claims the change could wait for ever. So a change first takes this lock, exclusively and
/// waiting ("a change is coming"), and only then writes the row; a claim reads a row `FOR
/// SHARE` only when it gets the lock shared at once (`pg_try_advisory_xact_lock_shared`), which
/// the lock manager refuses while a change holds it or waits for it. A claim refused so leaves
/// the queue out this time; the claims in flight end, the change goes in, and the next claims
/// read it. The lock is per schema and queue: its second key hashes both, so two names that
/// hash alike share waits, and a change takes its keys in key order (never in a cycle).
enum QueueSettingsLock {
    /// The first key ("ERQS").
    static let key: Int32 = 0x4552_5153

    /// The second key for the queue whose name is the SQL expression `name`.
    private static func id(_ name: String, _ t: Tables) -> String {
        // The channel name is the validated schema name with a prefix: safe to splice.
        "hashtext('\(t.channel)/' || \(name))"
    }

    /// A condition for a claim's `WHERE`, before its `FOR SHARE`: for a row whose `name` column
    /// matches `match` (an SQL condition), takes the lock shared if it can at once, and is false
    /// while a change of that queue holds or awaits it; for any other row it is null, and takes
    /// nothing (PostgreSQL may test it before the claim's other conditions).
    static func shared(where match: String, _ t: Tables) -> String {
        "CASE WHEN \(match) THEN pg_try_advisory_xact_lock_shared(\(key), \(id("name", t))) END"
    }

    /// A query that takes the lock exclusively, waiting, for each queue named in the SQL text
    /// array `names` (each key once, in key order), and yields one row: for a change, before it
    /// writes.
    static func exclusive(namesIn names: String, _ t: Tables) -> String {
        """
        SELECT count(*) AS keys FROM (
            SELECT pg_advisory_xact_lock(\(key), k) FROM (
                SELECT DISTINCT \(id("g.name", t)) AS k FROM unnest(\(names)) AS g(name) ORDER BY 1
            ) AS sorted
        ) AS taken
        """
    }
}
