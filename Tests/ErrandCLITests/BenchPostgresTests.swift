import Foundation
import Testing

/// `errand bench --database postgres://…`: the phases run on the PostgreSQL store and report
/// their figures. Needs `ERRAND_POSTGRES_URL` (from `.ci/with-postgres`); fails without it. Each
/// test gets a fresh database, dropped afterwards.
@Suite("errand bench on PostgreSQL", .serialized)
struct BenchPostgresTests {
    /// Runs `body` with a new database's URL and drops the database afterwards.
    static func withFreshDatabase(_ body: (String) async throws -> Void) async throws {
        let url = try PostgresMultiProcessTests.freshDatabase()
        let name = try #require(URLComponents(string: url)?.path.dropFirst())
        defer { _ = try? PostgresMultiProcessTests.psql(PostgresCLITests.databaseURL(), "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        try await body(url)
    }

    @Test(.timeLimit(.minutes(5)))
    func phasesReportEveryFigureAsAPositiveNumber() async throws {
        try await Self.withFreshDatabase { url in
            let sandbox = try CLISandbox()
            defer { sandbox.remove() }
            let output = try await sandbox.errandWithoutDatabase(
                "bench", "--database", url, "--phases", "enqueue_single,drain,e2e", "--processes", "2", "--jobs", "500", "--single", "50", "--json"
            )
            try #require(output.status == 0, "\(output.stderr)")
            let document = try CLISandbox.object(output.stdout)
            #expect(document["store"] as? String == "postgres")
            #expect(document["sync"] as? String == "on")
            let figures = try #require(document["figures"] as? [String: [String: Any]], "\(output.stdout)")
            let expected = ["enqueue_single", "drain", "e2e", "e2e_2p"]
            for name in expected + expected.map({ "\($0)_peak_rss" }) {
                let value = figures[name]?["value"] as? Double
                #expect((value ?? 0) > 0, "figure \(name): \(String(describing: figures[name])) in \(output.stdout)")
            }
            #expect(figures["e2e"]?["unit"] as? String == "runs/s")
            #expect(figures["drain"]?["unit"] as? String == "jobs/s")
            #expect(output.stderr.contains("synchronous_commit=on"), "\(output.stderr)")
            #expect(output.stderr.contains("2 worker processes"), "\(output.stderr)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func syncOffSetsTheDatabasesSynchronousCommit() async throws {
        try await Self.withFreshDatabase { url in
            let sandbox = try CLISandbox()
            defer { sandbox.remove() }
            let output = try await sandbox.errandWithoutDatabase(
                "bench", "--database", url, "--phases", "enqueue_single", "--single", "20", "--sync", "off"
            )
            try #require(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("# sync=off: PostgreSQL synchronous_commit=off for database"), "\(output.stdout)")
            #expect(output.stdout.contains("\nenqueue_single: "), "\(output.stdout)")
            #expect(try PostgresMultiProcessTests.psql(url, "SHOW synchronous_commit") == "off")
            #expect(try PostgresMultiProcessTests.psql(url, "SELECT count(*) FROM errand.runs") == "20")
        }
    }
}
