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
                #expect(try await store.migrate().isEmpty, "a migrated schema has nothing left to apply")
                #expect(try await store.insertRuns([NewRun(task: "t", queue: "q", payload: Data("{}".utf8), scheduledAt: .now)], now: .now).count == 1)
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
}
