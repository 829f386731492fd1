extension Schema {
    /// Version 6: leases for leader election (``Errand/LeaseStore``).
    ///
    /// One row per lease name: its holder, when it runs out and since when the holder has held
    /// it. Taking a lease is one guarded upsert, so of two processes asking at once exactly one
    /// gets it.
    static let v6 = """
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at REAL NOT NULL,
            acquired_at REAL NOT NULL
        ) WITHOUT ROWID;
        """
}
