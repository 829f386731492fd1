import Errand
import ErrandPostgres
import Foundation
import PostgresNIO
import Synchronization
import Testing

@Suite("PostgresRunStore migrations")
struct PostgresMigrationTests {
    @Test func concurrentMigrationsOfAnEmptySchemaAllSucceedAndApplyEachVersionOnce() async throws {
        try await TestDatabase.withClient(maximumConnections: 8) { client in
            let schema = TestDatabase.uniqueSchema()
            do {
                let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await PostgresRunStore(client: client, schema: schema).migrate() }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                #expect(applied.sorted() == Array(1...PostgresRunStore.schemaVersion), "each version applied by exactly one of the 8 callers")
                let store = try PostgresRunStore(client: client, schema: schema)
                #expect(try await store.appliedSchemaVersion() == PostgresRunStore.schemaVersion)
                let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \"\(schema)\".errand_migrations")).collect()
                #expect(try rows.first?.decode(Int.self) == PostgresRunStore.schemaVersion, "one row per version")
                let compatibility = try await client.query(PostgresQuery(
                    unsafeSQL: "SELECT version, compatible_from FROM \"\(schema)\".errand_migrations WHERE version >= 5 ORDER BY version"
                )).collect().map { try $0.decode((Int, Int).self) }
                #expect(
                    compatibility.map(\.1) == compatibility.map { $0.0 >= 7 ? 7 : 1 },
                    "versions 5 and 6 let older builds run; from version 7 (the last attempt on the run's row) they must know it"
                )
                #expect(try await store.migrate().isEmpty, "a migrated schema has nothing left to apply")
                #expect(try await store.insertRuns([NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: .now)], now: .now).count == 1)
            } catch {
                try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
                throw error
            }
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
        }
    }

    /// A build checks that it may use a schema: one migrated by a newer build is used (with a
    /// warning) while every applied version allows older builds, and refused, naming both
    /// versions, once one asks for a newer build; one not migrated far enough is refused without
    /// migrating, and nothing stored is touched either way.
    @Test func aSchemaANewerBuildMigratedIsUsedUntilAVersionAsksForANewerBuild() async throws {
        let client = try TestDatabase.shared.get()
        try await TestDatabase.withStores(client: client) { make in
            let store = try await make()
            let known = PostgresRunStore.schemaVersion
            try await store.verifySchema()
            let id = try await store.insertRuns([NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: .now)], now: .now)[0].id
            let migrations = "\"\(store.schema)\".errand_migrations"
            try await client.query(PostgresQuery(unsafeSQL: "INSERT INTO \(migrations) (version, compatible_from) VALUES (\(known + 1), 1)"))
            #expect(try await store.migrate().isEmpty, "a compatible newer schema is used as it is")
            try await store.verifySchema()
            #expect(try await store.appliedSchemaVersion() == known + 1)

            try await client.query(
                PostgresQuery(unsafeSQL: "INSERT INTO \(migrations) (version, compatible_from) VALUES (\(known + 2), \(known + 2))")
            )
            let expected = PostgresSchemaError.tooNew(schema: store.schema, applied: known + 2, oldestCompatible: known + 2, known: known)
            await #expect(throws: expected) { try await store.migrate() }
            await #expect(throws: expected) { try await store.verifySchema() }
            #expect("\(expected)".contains("version \(known + 2)") && "\(expected)".contains("up to \(known)"), "\(expected)")
            #expect(try await store.run(id: id) != nil, "the check loses nothing stored")
        }
    }

    @Test func aSchemaNotMigratedFarEnoughIsRefusedWithoutMigratingIt() async throws {
        try await TestDatabase.withClient { client in
            let schema = TestDatabase.uniqueSchema()
            let drop = PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
            do {
                let store = try PostgresRunStore(client: client, schema: schema)
                let empty = PostgresSchemaError.behind(schema: schema, applied: 0, required: PostgresRunStore.schemaVersion)
                await #expect(throws: empty) { try await store.verifySchema() }
                #expect("\(empty)".contains("errand migrate"), "\(empty)")
                #expect(try await store.appliedSchemaVersion() == 0, "the check created nothing")

                try await store.migrate()
                let migrations = "\"\(schema)\".errand_migrations"
                try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(migrations) WHERE version = \(PostgresRunStore.schemaVersion)"))
                let behind = PostgresSchemaError.behind(
                    schema: schema, applied: PostgresRunStore.schemaVersion - 1, required: PostgresRunStore.schemaVersion
                )
                await #expect(throws: behind) { try await store.verifySchema() }
            } catch {
                try await client.query(drop)
                throw error
            }
            try await client.query(drop)
        }
    }

    /// Version 8: every text column that an index key holds, and the index's key itself,
    /// compares by code point (`COLLATE "C"`), so index upkeep never calls `strcoll`; a column
    /// or index added later without it fails here.
    @Test func everyIndexedTextColumnComparesByCodePoint() async throws {
        try await TestDatabase.withClient { client in
            let schema = TestDatabase.uniqueSchema()
            do {
                let store = try PostgresRunStore(client: client, schema: schema)
                try await store.migrate()
                let rows = try await client.query(PostgresQuery(unsafeSQL: """
                    SELECT c.relname || '.' || a.attname || ' in ' || ic.relname,
                        a.attcollation = 'pg_catalog."C"'::regcollation, k.collation_oid = 'pg_catalog."C"'::regcollation
                    FROM pg_index i
                    JOIN pg_class ic ON ic.oid = i.indexrelid
                    JOIN pg_class c ON c.oid = i.indrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indcollation::oid[]) AS k(attnum, collation_oid)
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                    WHERE n.nspname = '\(schema)' AND a.atttypid = 'text'::regtype
                    ORDER BY 1
                    """)).collect().map { try $0.decode((String, Bool, Bool).self) }
                #expect(rows.count >= 30, "the schema's indexes on text columns: \(rows.map(\.0))")
                #expect(rows.filter { !$0.1 }.map(\.0) == [], "columns that compare by another collation")
                #expect(rows.filter { !$0.2 }.map(\.0) == [], "index keys that compare by another collation")
                #expect(rows.contains { $0.0 == "runs.id in runs_id_key" } && rows.contains { $0.0 == "runs.queue in runs_claim" })
            } catch {
                try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
                throw error
            }
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
        }
    }

    @Test func aSchemaThatIsNotAnIdentifierIsRefusedWithTheValue() throws {
        let client = try TestDatabase.makeClient()
        for bad in ["", "Errand", "9lives", "a;drop", "errand-x", String(repeating: "a", count: 49)] {
            let error = #expect(throws: ErrandError.self) { try PostgresRunStore(client: client, schema: bad) }
            #expect(error?.field == "schema")
            #expect(error?.message.contains("\"\(bad)\"") == true, "the message names the value: \(error?.message ?? "")")
        }
    }

    @Test func pooledSessionsEndATransactionLeftIdleForTenSeconds() async throws {
        try await TestDatabase.withClient { client in
            let rows = try await client.query("SHOW idle_in_transaction_session_timeout").collect()
            #expect(try rows.first?.decode(String.self) == "10s", "a process killed inside a claim releases its queue lock")
        }
    }

    @Test func aDatabaseURLIsParsedAndABadOneIsRefused() throws {
        let configuration = try PostgresRunStore.clientConfiguration(url: "postgres://app:s%40cret@db.example:6543/jobs")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "app")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == "jobs")
        #expect(configuration.options.additionalStartupParameters.contains { $0 == ("idle_in_transaction_session_timeout", "10s") })
        let error = #expect(throws: ErrandError.self) { try PostgresRunStore.clientConfiguration(url: "mysql://app:hunter2@db/jobs") }
        #expect(error?.field == "database")
        #expect(error?.message.contains("hunter2") == false, "the password is not repeated")
    }

    @Test func sessionsNameTheirProcessOrTheURLsApplicationName() async throws {
        func name(_ url: String) throws -> String? {
            try PostgresRunStore.clientConfiguration(url: url).options.additionalStartupParameters.first { $0.0 == "application_name" }?.1
        }
        let own = try #require(try name("postgres://app@db/jobs"))
        #expect(own.hasPrefix("errand ") && own.hasSuffix(" pid \(ProcessInfo.processInfo.processIdentifier)") && own.utf8.count <= 63, "\(own)")
        #expect(own.contains(String(ProcessInfo.processInfo.hostName.prefix(20))), "names the host: \(own)")
        #expect(try name("postgres://app@db/jobs?application_name=billing%20worker") == "billing worker")
        // Too long, not ASCII, a control character, empty, and given with no value.
        for bad in ["=" + String(repeating: "a", count: 64), "=caf%C3%A9", "=tab%09name", "=", ""] {
            let error = #expect(throws: ErrandError.self) { try name("postgres://app@db/jobs?application_name\(bad)") }
            #expect(error?.field == "application_name", "\(bad)")
        }
        try await TestDatabase.withClient { client in
            let rows = try await client.query("SELECT current_setting('application_name')").collect()
            #expect(try rows.first?.decode(String.self) == own)
        }
    }
}
