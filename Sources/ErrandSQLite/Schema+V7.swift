extension Schema {
    /// Version 7: each version from this one on records the oldest schema version a build must
    /// know to use the file (`compatible_from`, see ``oldestCompatible(with:)``), so an older
    /// build that opens a file a newer one migrated can tell whether it may run on it.
    static let v7 = """
        CREATE TABLE errand_schema_versions (
            version INTEGER PRIMARY KEY,
            compatible_from INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
}
