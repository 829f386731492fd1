import Errand
import Foundation
import PostgresNIO

extension PostgresRunStore {
    /// The first key of the advisory lock ``migrate()`` holds while it migrates a schema (the
    /// second is `hashtext` of the schema's name), so migrations of one schema take turns and
    /// those of different schemas do not wait for each other.
    static let migrationLockKey: Int32 = 0x4552_4E44  // "ERND"

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { Schema.versions(Tables(schema: "errand")).count }

    /// Brings the store's schema up to date: creates the PostgreSQL schema and the
    /// `errand_migrations` table if needed, then runs each version not applied yet, each in one
    /// transaction that also records it, then checks the schema as ``verifySchema()`` does.
    /// Returns the versions it applied (empty when the schema was up to date).
    ///
    /// Safe when several processes start at once: each transaction first takes the advisory lock
    /// `pg_advisory_xact_lock(1163021892, hashtext(schema))`, then reads which versions are
    /// applied, so a version runs exactly once and the others wait for it, then see it applied.
    ///
    /// - Throws: ``PostgresSchemaError/tooNew(schema:applied:oldestCompatible:known:)`` when a
    ///   newer build migrated the schema to a version this build must not use.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let versions = Schema.versions(tables)
        var applied: [Int] = []
        for (index, statements) in versions.enumerated() {
            let version = index + 1
            let ran = try await transaction(bounded: false) { [self] session in
                try await session.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey), hashtext(\(schema)))")
                try await session.execute("CREATE SCHEMA IF NOT EXISTS \(unescaped: tables.schema)")
                try await session.execute("""
                    CREATE TABLE IF NOT EXISTS \(unescaped: tables.migrations) (
                        version int PRIMARY KEY,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
                let done = try await session.rows("SELECT 1 FROM \(unescaped: tables.migrations) WHERE version = \(version)")
                if !done.isEmpty { return false }
                for statement in statements {
                    try await session.execute(PostgresQuery(unsafeSQL: statement))
                }
                if version >= Schema.compatibilityVersion {
                    try await session.execute("""
                        INSERT INTO \(unescaped: tables.migrations) (version, applied_at, compatible_from)
                        VALUES (\(version), now(), \(Schema.oldestCompatible(with: version)))
                        """)
                } else {
                    try await session.execute("INSERT INTO \(unescaped: tables.migrations) (version, applied_at) VALUES (\(version), now())")
                }
                return true
            }
            if ran {
                applied.append(version)
                logger.info("migrated the Errand schema", metadata: ["schema": "\(schema)", "version": "\(version)"])
            }
        }
        try await verifySchema()
        return applied
    }

    /// Checks that this build can run on the store's schema without migrating it: the schema is
    /// at ``schemaVersion`` or later, and no version applied to it asks for a newer build. A
    /// schema a newer build migrated that older builds may still use is accepted with a warning
    /// in the log.
    ///
    /// - Throws: ``PostgresSchemaError/behind(schema:applied:required:)`` for a schema not
    ///   migrated this far, ``PostgresSchemaError/tooNew(schema:applied:oldestCompatible:known:)``
    ///   for one this build must not use.
    public func verifySchema() async throws {
        let (applied, oldestCompatible) = try await schemaState()
        let known = Self.schemaVersion
        if oldestCompatible > known {
            throw PostgresSchemaError.tooNew(schema: schema, applied: applied, oldestCompatible: oldestCompatible, known: known)
        }
        if applied < known { throw PostgresSchemaError.behind(schema: schema, applied: applied, required: known) }
        if applied > known {
            logger.warning(
                "a newer build of Errand migrated the schema; this one may still use it, but upgrade it",
                metadata: ["schema": "\(schema)", "version": "\(applied)", "known": "\(known)"]
            )
        }
    }

    /// The newest version applied to the store's schema, 0 when none is.
    public func appliedSchemaVersion() async throws -> Int {
        try await schemaState().applied
    }

    /// The newest version applied to the store's schema (0 when none is), and the oldest schema
    /// version a build must know to use it (1 before version 5 recorded it).
    func schemaState() async throws -> (applied: Int, oldestCompatible: Int) {
        try await session { [self] session in
            let columns = try await session.map(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(\(tables.migrations)) AND attnum > 0 AND NOT attisdropped"
            ) { try $0.string(0) }
            if columns.isEmpty { return (0, 1) }
            let oldest = columns.contains("compatible_from") ? "max(compatible_from)" : "1"
            let rows = try await session.rows(
                "SELECT coalesce(max(version), 0)::int8, coalesce(\(unescaped: oldest), 1)::int8 FROM \(unescaped: tables.migrations)"
            )
            guard let row = rows.first else { return (0, 1) }
            let reader = RowReader(row)
            return (try reader.int(0), try reader.int(1))
        }
    }
}
