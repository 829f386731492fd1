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
    /// transaction that also records it. Returns the versions it applied (empty when the schema
    /// was up to date).
    ///
    /// Safe when several processes start at once: each transaction first takes the advisory lock
    /// `pg_advisory_xact_lock(1163021892, hashtext(schema))`, then reads which versions are
    /// applied, so a version runs exactly once and the others wait for it, then see it applied.
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
                try await session.execute("INSERT INTO \(unescaped: tables.migrations) (version, applied_at) VALUES (\(version), now())")
                return true
            }
            if ran {
                applied.append(version)
                logger.info("migrated the Errand schema", metadata: ["schema": "\(schema)", "version": "\(version)"])
            }
        }
        return applied
    }

    /// The newest version applied to the store's schema, 0 when none is.
    public func appliedSchemaVersion() async throws -> Int {
        try await session { [self] session in
            let exists = try await session.rows("SELECT to_regclass(\(tables.migrations))::text")
            guard let first = exists.first, !RowReader(first).isNull(0) else { return 0 }
            let rows = try await session.rows("SELECT coalesce(max(version), 0)::int8 FROM \(unescaped: tables.migrations)")
            return try rows.first.map { try RowReader($0).int(0) } ?? 0
        }
    }
}
