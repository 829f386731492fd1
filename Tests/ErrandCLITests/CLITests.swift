import ErrandSQLite
import Foundation
import GRDB
import Testing

/// Drives the `errand` executable: bad input, the trigger/show round trip, list filters, cancel
/// and replay, and `cron next`.
@Suite("errand CLI")
struct CLITests {
    // MARK: Bad input

    @Test func malformedPayloadNamesThePayloadOption() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let output = try await sandbox.errand("trigger", "resize-image", "--payload", "{\"url\": ")
        #expect(output.status != 0)
        #expect(output.stderr.contains("--payload"))
        #expect(output.stderr.contains("not valid JSON"))
        #expect(output.stdout.isEmpty)
    }

    @Test func badAfterNamesTheOptionAndTheAllowedForms() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let output = try await sandbox.errand("trigger", "resize-image", "--after", "tomorrow")
        #expect(output.status != 0)
        #expect(output.stderr.contains("--after"))
        #expect(output.stderr.contains("'tomorrow'"))
        #expect(output.stderr.contains("\"N unit\""))

        let tooFar = try await sandbox.errand("trigger", "resize-image", "--after", "2 years")
        #expect(tooFar.status != 0)
        #expect(tooFar.stderr.contains("more than one year after now"))
    }

    @Test func unknownStatusListsTheStatuses() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        _ = try await sandbox.trigger("resize-image")
        let output = try await sandbox.errand("runs", "list", "--status", "bogus")
        #expect(output.status != 0)
        #expect(output.stderr.contains("--status"))
        #expect(output.stderr.contains("'bogus'"))
        #expect(output.stderr.contains("timedOut"))
    }

    @Test func migrateOnSQLiteCreatesTheFileAndSaysItIsUpToDate() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let output = try await sandbox.errand("migrate")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("is up to date"), "\(output.stdout)")
        #expect(FileManager.default.fileExists(atPath: sandbox.database))
        let json = try CLISandbox.object(try await sandbox.errand("migrate", "--json").stdout)
        #expect(json["database"] as? String == sandbox.database)
        #expect(json["schema"] is NSNull && json["version"] is NSNull)
        #expect(json["applied"] as? [Int] == [])
    }

    @Test func aSQLiteFileANewerBuildMigratedWarnsOrStopsTheCommand() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        #expect(try await sandbox.errand("migrate").status == 0)
        let known = SQLiteRunStore.schemaVersion
        func apply(_ version: Int, compatibleFrom: Int) throws {
            let file = try DatabaseQueue(path: sandbox.database)
            try file.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: ["v\(version)"])
                try db.execute(sql: "INSERT INTO errand_schema_versions (version, compatible_from) VALUES (?, ?)", arguments: [version, compatibleFrom])
            }
            try file.close()
        }
        try apply(known + 1, compatibleFrom: 1)
        let compatible = try await sandbox.errand("runs", "list")
        #expect(compatible.status == 0, "\(compatible.stderr)")
        #expect(compatible.stderr.contains("a newer build of Errand migrated the database"), "\(compatible.stderr)")

        try apply(known + 2, compatibleFrom: known + 2)
        for command in [["runs", "list"], ["migrate"]] {
            let refused = try await ErrandBinary.run(command + ["--database", sandbox.database], in: sandbox.directory)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("cannot use the database"), "\(refused.stderr)")
            #expect(refused.stderr.contains("is at schema version \(known + 2)") && refused.stderr.contains("upgrade this process"))
        }
    }

    @Test func badDatabaseValues() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let postgres = try await sandbox.errandWithoutDatabase("trigger", "t", "--database", "postgres:localhost/errand")
        #expect(postgres.status != 0)
        #expect(postgres.stderr.contains("--database"))
        #expect(postgres.stderr.contains("a PostgreSQL URL starts with postgres://"))

        let scheme = try await sandbox.errandWithoutDatabase("runs", "list", "--database", "mysql://localhost/errand")
        #expect(scheme.status != 0)
        #expect(scheme.stderr.contains("unknown database scheme \"mysql\""))

        let durability = try await sandbox.errand("trigger", "t", "--durability", "sometimes")
        #expect(durability.status != 0)
        #expect(durability.stderr.contains("--durability"))
        #expect(durability.stderr.contains("'full', 'normal' or 'off'"))

        let missing = try await sandbox.errandWithoutDatabase("runs", "list", "--database", "sqlite:nothing-here.sqlite")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no Errand database at \"nothing-here.sqlite\""))
    }

    @Test func badTriggerOptions() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let ttl = try await sandbox.errand("trigger", "t", "--ttl", "ten minutes")
        #expect(ttl.status != 0)
        #expect(ttl.stderr.contains("--ttl"))

        let tags = (0...10).flatMap { ["--tag", "t\($0)"] }
        let tooManyTags = try await ErrandBinary.run(["trigger", "t"] + tags + ["--database", sandbox.database], in: sandbox.directory)
        #expect(tooManyTags.status != 0)
        #expect(tooManyTags.stderr.contains("--tag"))
        #expect(tooManyTags.stderr.contains("at most 10"))

        let longName = try await sandbox.errand("trigger", String(repeating: "x", count: 65))
        #expect(longName.status != 0)
        #expect(longName.stderr.contains("at most 64"))
    }

    @Test func unknownRunID() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        _ = try await sandbox.trigger("resize-image")
        for command in [["runs", "show"], ["runs", "cancel"], ["runs", "replay"]] {
            let output = try await ErrandBinary.run(command + ["run_nope", "--database", sandbox.database], in: sandbox.directory)
            #expect(output.status != 0, "\(command)")
            #expect(output.stderr.contains("no run with id \"run_nope\""), "\(command): \(output.stderr)")
        }
    }

    // MARK: Round trips

    @Test func triggerThenShowAsJSON() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let triggered = try await sandbox.errand(
            "trigger", "resize-image", "--payload", #"{"url": "https://example.com/a.jpg", "width": 64, "nested": {"ok": true}}"#,
            "--priority", "7", "--tag", "cli", "--tag", "test", "--idempotency-key", "k-1", "--concurrency-key", "tenant-1",
            "--ttl", "10m", "--json"
        )
        #expect(triggered.status == 0, "\(triggered.stderr)")
        let id = try #require(try CLISandbox.object(triggered.stdout)["id"] as? String)
        #expect(id.hasPrefix("run_"))

        let shown = try await sandbox.errand("runs", "show", id, "--json")
        #expect(shown.status == 0, "\(shown.stderr)")
        let run = try CLISandbox.object(shown.stdout)
        #expect(run["id"] as? String == id)
        #expect(run["task"] as? String == "resize-image")
        #expect(run["status"] as? String == "queued")
        #expect(run["priority"] as? Int == 7)
        #expect(run["tags"] as? [String] == ["cli", "test"])
        #expect(run["idempotencyKey"] as? String == "k-1")
        #expect(run["concurrencyKey"] as? String == "tenant-1")
        let payload = try #require(run["payload"] as? [String: Any])
        #expect(payload["url"] as? String == "https://example.com/a.jpg")
        #expect(payload["width"] as? Int == 64)
        #expect((payload["nested"] as? [String: Any])?["ok"] as? Bool == true)
        for field in ["createdAt", "scheduledAt", "submittedAt", "completedAt", "failedAt", "progressMessage", "progressPercent", "errorMessage", "errorStack", "result", "attempts"] {
            #expect(run.keys.contains(field), "missing \(field)")
        }
        let created = try #require(run["createdAt"] as? String)
        #expect(created.hasSuffix("Z"))
        let expires = try #require(run["expiresAt"] as? String)
        #expect(expires > created)
        #expect(run["completedAt"] is NSNull)

        // Triggering again with the same idempotency key returns the same run.
        let again = try await sandbox.trigger("resize-image", "--idempotency-key", "k-1")
        #expect(again == id)

        let human = try await sandbox.errand("runs", "show", id)
        #expect(human.status == 0)
        for field in ["createdAt", "scheduledAt", "submittedAt", "completedAt", "failedAt", "progressMessage", "progressPercent", "errorMessage", "errorStack", "payload:", "result:", "attempts:"] {
            #expect(human.stdout.contains(field), "missing \(field)")
        }
        #expect(human.stdout.contains("\"width\" : 64"))
    }

    @Test func listFiltersAndPages() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let first = try await sandbox.trigger("alpha", "--tag", "x")
        _ = try await sandbox.trigger("alpha")
        _ = try await sandbox.trigger("alpha")
        let delayed = try await sandbox.trigger("beta", "--after", "1 hour")

        func ids(_ arguments: String...) async throws -> [String] {
            let output = try await ErrandBinary.run(["runs", "list", "--json"] + arguments + ["--database", sandbox.database], in: sandbox.directory)
            guard output.status == 0 else { throw CLISandbox.Failure("runs list \(arguments) failed: \(output.stderr)") }
            let page = try CLISandbox.object(output.stdout)
            return (page["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }

        #expect(try await ids().count == 4)
        #expect(try await ids("--task", "alpha").count == 3)
        #expect(try await ids("--tag", "x") == [first])
        #expect(try await ids("--status", "delayed") == [delayed])
        #expect(try await ids("--status", "scheduled").count == 3)  // Ampt's word for queued
        #expect(try await ids("--status", "delayed", "--status", "queued").count == 4)
        #expect(try await ids("--since", "2000-01-01", "--until", "2001-01-01").isEmpty)
        #expect(try await ids("--since", "2000-01-01T00:00:00Z").count == 4)

        // Pages: newest first, the cursor leads to the rest.
        let output = try await sandbox.errand("runs", "list", "--json", "--limit", "3")
        let page = try CLISandbox.object(output.stdout)
        #expect((page["runs"] as? [[String: Any]])?.first?["id"] as? String == delayed)
        let cursor = try #require(page["nextCursor"] as? String)
        #expect(try await ids("--limit", "3", "--cursor", cursor) == [first])

        let table = try await sandbox.errand("runs", "list", "--limit", "3")
        #expect(table.status == 0)
        #expect(table.stdout.contains("ID"))
        #expect(table.stdout.contains("DURATION/PROGRESS"))
        #expect(table.stdout.contains("--cursor \(cursor)"))

        let badLimit = try await sandbox.errand("runs", "list", "--limit", "0")
        #expect(badLimit.status != 0)
        #expect(badLimit.stderr.contains("--limit"))
    }

    @Test func cancelADelayedRun() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let id = try await sandbox.trigger("send-welcome-email", "--after", "10 minutes")
        let cancel = try await sandbox.errand("runs", "cancel", id)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("canceled"))

        let shown = try CLISandbox.object(try await sandbox.errand("runs", "show", id, "--json").stdout)
        #expect(shown["status"] as? String == "canceled")
        #expect(shown["canceledAt"] is String)

        let again = try await sandbox.errand("runs", "cancel", id)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already finished"))
    }

    @Test func replayLinksTheNewRun() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let original = try await sandbox.trigger("resize-image", "--payload", #"{"width": 1}"#, "--tag", "r")
        let replay = try await sandbox.errand("runs", "replay", original, "--payload", #"{"width": 2}"#)
        #expect(replay.status == 0, "\(replay.stderr)")
        let newID = replay.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newID != original)
        let shown = try CLISandbox.object(try await sandbox.errand("runs", "show", newID, "--json").stdout)
        #expect(shown["replayOf"] as? String == original)
        #expect((shown["payload"] as? [String: Any])?["width"] as? Int == 2)
        #expect(shown["tags"] as? [String] == ["r"])

        let badPayload = try await sandbox.errand("runs", "replay", original, "--payload", "nope")
        #expect(badPayload.status != 0)
        #expect(badPayload.stderr.contains("--payload"))
    }

    // MARK: cron

    @Test func cronNextPrintsTwoTimes() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let output = try await sandbox.errandWithoutDatabase("cron", "next", "0 10 * * ? *", "-n", "2", "--from", "2026-03-14T10:07:00Z")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.split(separator: "\n") == ["2026-03-15T10:00:00Z", "2026-03-16T10:00:00Z"])
    }
}
