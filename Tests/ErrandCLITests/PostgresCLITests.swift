import ErrandPostgres
import Foundation
import Testing

/// The CLI on PostgreSQL (`--database postgres://…`): the run commands and `errand serve`. Needs
/// `ERRAND_POSTGRES_URL` (scripts/test starts a throwaway cluster with `.ci/with-postgres`); without
/// it the tests fail, never skip.
@Suite("errand on PostgreSQL")
struct PostgresCLITests {
    /// The database URL, or a failed test saying how to get one.
    static func databaseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ERRAND_POSTGRES_URL"], !url.isEmpty else {
            Issue.record("ERRAND_POSTGRES_URL is not set: run the tests under .ci/with-postgres (scripts/test does)")
            throw CancellationError()
        }
        return url
    }

    @Test(.timeLimit(.minutes(1)))
    func triggerShowListAndCancel() async throws {
        let url = try Self.databaseURL()
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let tag = "cli-\(UUID().uuidString.prefix(8))"
        let triggered = try await sandbox.errandWithoutDatabase(
            "trigger", "resize-image", "--payload", #"{"url":"https://example.com/a.png"}"#, "--after", "1 hour", "--tag", tag,
            "--database", url
        )
        #expect(triggered.status == 0, "\(triggered.stderr)")
        let id = triggered.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("run_"))

        let shown = try await sandbox.errandWithoutDatabase("runs", "show", id, "--json", "--database", url)
        #expect(shown.status == 0, "\(shown.stderr)")
        let run = try CLISandbox.object(shown.stdout)
        #expect(run["status"] as? String == "delayed")
        #expect(run["task"] as? String == "resize-image")

        let listed = try await sandbox.errandWithoutDatabase("runs", "list", "--tag", tag, "--json", "--database", url)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains(id))

        let canceled = try await sandbox.errandWithoutDatabase("runs", "cancel", id, "--json", "--database", url)
        #expect(canceled.status == 0, "\(canceled.stderr)")
        let after = try CLISandbox.object(try await sandbox.errandWithoutDatabase("runs", "show", id, "--json", "--database", url).stdout)
        #expect(after["status"] as? String == "canceled")
    }

    /// `errand migrate` applies the versions not applied yet and says which; with `--no-migrate`
    /// a command needs a schema already migrated, and no command runs on a schema that a newer
    /// build migrated to a version older builds must not use.
    @Test(.timeLimit(.minutes(1)))
    func migrateAppliesTheVersionsAndNoMigrateNeedsThemApplied() async throws {
        let url = try PostgresMultiProcessTests.freshDatabase()
        let name = try #require(URLComponents(string: url)?.path.dropFirst())
        defer { _ = try? PostgresMultiProcessTests.psql(Self.databaseURL(), "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }

        let refused = try await sandbox.errandWithoutDatabase("runs", "list", "--no-migrate", "--database", url)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("has no Errand tables") && refused.stderr.contains("run `errand migrate`"), "\(refused.stderr)")
        #expect(try PostgresMultiProcessTests.psql(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'errand'") == "0", "nothing created")

        let migrated = try await sandbox.errandWithoutDatabase("migrate", "--database", url)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("migrated the PostgreSQL schema \"errand\""), "\(migrated.stdout)")
        let known = PostgresRunStore.schemaVersion
        #expect(migrated.stdout.contains("(applied \((1...known).map(String.init).joined(separator: ", ")))"), "\(migrated.stdout)")
        let again = try await sandbox.errandWithoutDatabase("migrate", "--database", url, "--json")
        #expect(again.status == 0, "\(again.stderr)")
        let outcome = try CLISandbox.object(again.stdout)
        #expect(outcome["applied"] as? [Int] == [], "\(again.stdout)")
        #expect(outcome["version"] as? Int == known)
        #expect(outcome["schema"] as? String == "errand")

        let listed = try await sandbox.errandWithoutDatabase("runs", "list", "--no-migrate", "--database", url)
        #expect(listed.status == 0, "\(listed.stderr)")

        try PostgresMultiProcessTests.psql(url, "INSERT INTO errand.errand_migrations (version, compatible_from) VALUES (\(known + 1), 1)")
        let compatible = try await sandbox.errandWithoutDatabase("runs", "list", "--database", url)
        #expect(compatible.status == 0, "\(compatible.stderr)")
        #expect(compatible.stderr.contains("a newer build of Errand migrated the schema"), "\(compatible.stderr)")

        try PostgresMultiProcessTests.psql(url, "INSERT INTO errand.errand_migrations (version, compatible_from) VALUES (\(known + 2), \(known + 2))")
        for command in [["runs", "list"], ["migrate"]] {
            let tooNew = try await ErrandBinary.run(command + ["--database", url], in: sandbox.directory)
            #expect(tooNew.status != 0)
            #expect(tooNew.stderr.contains("is at version \(known + 2)") && tooNew.stderr.contains("this build knows versions up to \(known)"), "\(tooNew.stderr)")
        }
    }

    @Test func unreachableServerIsAnErrorNamingTheDatabase() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let output = try await sandbox.errandWithoutDatabase("runs", "list", "--database", "postgres://errand:secret@127.0.0.1:1/errand")
        #expect(output.status != 0)
        #expect(output.stderr.contains("cannot open the database \"postgres://errand:***@127.0.0.1:1/errand\""), "\(output.stderr)")
        #expect(!output.stderr.contains("secret"), "the password is never printed")

        let bad = try await sandbox.errandWithoutDatabase("runs", "list", "--database", "postgres://onlyhost")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--database"))
        #expect(bad.stderr.contains("needs a host and a database name"))
    }

    @Test(.timeLimit(.minutes(2)))
    func twoServeProcessesShareTheDatabase() async throws {
        let url = try Self.databaseURL()
        let tag = "serve-\(UUID().uuidString.prefix(8))"
        let project = "tasks:\n  echo:\n    shell: \"cat\"\n"
        var sandboxes: [CLISandbox] = []
        var serves: [ChildProcess] = []
        defer {
            for serve in serves where serve.isRunning { kill(serve.pid, SIGKILL) }
            for sandbox in sandboxes { sandbox.remove() }
        }
        for _ in 0..<2 {
            let sandbox = try CLISandbox()
            sandboxes.append(sandbox)
            try project.write(to: sandbox.directory.appendingPathComponent("errand.yml"), atomically: true, encoding: .utf8)
            serves.append(try ChildProcess(["serve", "--port", "0", "--database", url], in: sandbox.directory, label: "serve"))
        }
        var ids: [String] = []
        for index in 0..<20 {
            let output = try await sandboxes[0].errandWithoutDatabase(
                "trigger", "echo", "--payload", #"{"n":\#(index)}"#, "--tag", tag, "--database", url
            )
            try #require(output.status == 0, "\(output.stderr)")
            ids.append(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let deadline = ContinuousClock.now + .seconds(60)
        var completed = 0
        while ContinuousClock.now < deadline {
            let listed = try await sandboxes[1].errandWithoutDatabase(
                "runs", "list", "--tag", tag, "--status", "completed", "--limit", "100", "--json", "--database", url
            )
            completed = ids.filter { listed.stdout.contains($0) }.count
            if completed == ids.count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(completed == ids.count, "runs completed by the two serve processes: \(completed) of \(ids.count); \(serves.map(\.stderr))")
        for serve in serves { kill(serve.pid, SIGTERM) }
        for serve in serves { #expect(await serve.waitForExit(timeout: .seconds(20))) }
    }
}
