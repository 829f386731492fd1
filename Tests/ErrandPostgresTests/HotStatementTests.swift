import Errand
import Foundation
import PostgresNIO
import Testing

@testable import ErrandPostgres

/// The store's hot statements go out as statements prepared once per connection
/// (`HotStatement`, `Session.hotRows`), under a name derived from their text.
@Suite("HotStatement")
struct PreparedQueryTests {
    /// The prepared statements of the session's connection: name and text.
    private static func prepared(_ session: Session) async throws -> [String: String] {
        let rows = try await session.map("SELECT name, statement FROM pg_prepared_statements") { (try $0.string(0), try $0.string(1)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    private static func doubled(_ values: [Int64], _ session: Session) async throws -> [Int64] {
        var bindings = PostgresBindings()
        bindings.append(values)
        let query = PostgresQuery(unsafeSQL: "SELECT x * 2 FROM unnest($1::int8[]) AS x ORDER BY x", binds: bindings)
        return try await session.hotRows(query).map { try $0.decode(Int64.self) }
    }

    @Test func aHotStatementIsPreparedOnceOnItsConnectionAndRunsWithEachCallsValues() async throws {
        try await TestDatabase.withClient(maximumConnections: 1) { client in
            let store = try PostgresRunStore(client: client)
            try await store.session { session in
                #expect(session.prepares, "prepared statements are on by default")
                #expect(try await Self.doubled([1, 2], session) == [2, 4])
                #expect(try await Self.doubled([5], session) == [10])
                #expect(try await Self.doubled([], session) == [])
                let sql = "SELECT x * 2 FROM unnest($1::int8[]) AS x ORDER BY x"
                let statements = try await Self.prepared(session)
                #expect(statements[HotStatement.name(for: sql)] == sql, "\(statements)")
                #expect(statements.count == 1, "prepared once, whatever the values: \(statements)")
            }
        }
    }

    @Test func storesInTwoSchemasOnOneConnectionEachUseTheirOwnStatements() async throws {
        try await TestDatabase.withClient(maximumConnections: 1) { client in
            try await TestDatabase.withStores(client: client) { make in
                let (first, second) = (try await make(), try await make())
                let now = Date()
                for (store, task) in [(first, "first"), (second, "second"), (first, "first")] {
                    _ = try await store.insertRuns([NewRun(task: task, queue: "q", payload: Data("{}".utf8), scheduledAt: now)], now: now)
                    _ = try await store.insertRuns([NewRun(task: task, queue: "q", payload: Data("{}".utf8), scheduledAt: now.addingTimeInterval(60))], now: now)
                }
                for (store, task, due) in [(first, "first", 2), (second, "second", 1)] {
                    let runs = try await store.claimRuns(ClaimRequest(workerID: "w", queues: ["q"], limit: 5, now: now, leaseUntil: now.addingTimeInterval(60)))
                    #expect(runs.count == due && runs.allSatisfy { $0.task == task }, "a store inserts into and claims from its own schema only")
                    let next = try await store.nextDueTime(queues: ["q"])
                    #expect(next.map { abs($0.timeIntervalSince(now.addingTimeInterval(60))) < 0.001 } == true)
                }
                let statements = try await first.session { session in try await Self.prepared(session) }
                let inserts = statements.values.filter { $0.hasPrefix("WITH inserted AS (INSERT INTO") }
                let claims = statements.values.filter { $0.hasPrefix("WITH settings AS") && $0.contains("candidates") }
                let dueTimes = statements.values.filter { $0.contains("min(scheduled_at)") }
                #expect(
                    inserts.count == 2 && claims.count == 2 && dueTimes.count == 2,
                    "one of each per schema: \(statements.values.map { $0.prefix(80) })"
                )
            }
        }
    }

    @Test func aPreparationThatFailsClosesTheConnectionSoALaterCallGetsAFreshOne() async throws {
        let table = "prepared_probe_" + TestDatabase.uniqueSchema().suffix(8)
        try await TestDatabase.withClient(maximumConnections: 1) { client in
            let store = try PostgresRunStore(client: client)
            let query = PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")
            let error = await #expect(throws: PostgresStoreError.self) {
                try await store.session { session in try await session.hotRows(query) }
            }
            #expect(error?.sqlState == "42P01", "\(String(describing: error))")
            try await store.session { session in try await session.execute(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (x int)")) }
            let count = try await store.session { session in try await session.hotRows(query).map { try $0.decode(Int64.self) } }
            #expect(count == [0], "the failed preparation was not remembered on the connection")
            try await store.session { session in try await session.execute(PostgresQuery(unsafeSQL: "DROP TABLE \(table)")) }
        }
    }

    @Test func turnedOffNoStatementIsPrepared() async throws {
        try await TestDatabase.withClient(maximumConnections: 1) { client in
            let store = try PostgresRunStore(client: client, configuration: .init(preparedStatements: false))
            let (values, statements) = try await store.session { session in
                (try await Self.doubled([3], session), try await Self.prepared(session))
            }
            #expect(values == [6])
            #expect(statements.isEmpty, "\(statements)")
        }
    }

    @Test func aDatabaseURLTurnsPreparedStatementsOnOrOffAndNamesABadValue() throws {
        #expect(try PostgresRunStore.Configuration(url: "postgres://app@db/jobs").preparedStatements)
        #expect(try !PostgresRunStore.Configuration(url: "postgres://app@db/jobs?prepared_statements=off").preparedStatements)
        #expect(try PostgresRunStore.Configuration(url: "postgres://app@db/jobs?sslmode=disable&prepared_statements=on").preparedStatements)
        _ = try PostgresRunStore.clientConfiguration(url: "postgres://app@db/jobs?prepared_statements=off")
        let error = #expect(throws: ErrandError.self) { try PostgresRunStore.Configuration(url: "postgres://app@db/jobs?prepared_statements=maybe") }
        #expect(error?.field == "prepared_statements")
        #expect(error?.message.contains("maybe") == true && error?.message.contains("on or off") == true, "\(String(describing: error))")
    }

    @Test func theNameDependsOnlyOnTheTextAndFitsPostgreSQLsLimit() {
        let name = HotStatement.name(for: "SELECT 1")
        #expect(name == HotStatement.name(for: "SELECT 1"))
        #expect(name != HotStatement.name(for: "SELECT 2"))
        #expect(name.utf8.count <= 63)
        #expect(name.hasPrefix("errand_") && name.count == "errand_".count + 16)
    }
}
