import Errand
import ErrandConfig
import Foundation
import Testing

/// The project in `Examples/` works as shipped: `errand serve` falls back to it.
@Suite("the example project")
struct ExampleProjectTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Examples/errand.yml").standardizedFileURL.path

    @Test("hello greets the payload and reports progress")
    func hello() async throws {
        try await LiveProject.run(try ProjectConfig.load(path: Self.path)) { project in
            let run = try await project.runToEnd("hello", payload: #"{"name":"Ada"}"#)
            #expect(run.status == .completed)
            #expect(run.resultJSON == .object([
                "greeting": .string("hello from hello"), "attempt": .integer(1), "payload": .object(["name": .string("Ada")]),
            ]))
            #expect(run.progressMessage == "done" && run.progressPercent == 1)
        }
    }

    @Test("flaky fails on attempt 1 with its standard error, and succeeds on attempt 2")
    func flaky() async throws {
        try await LiveProject.run(try ProjectConfig.load(path: Self.path)) { project in
            let run = try await project.runToEnd("flaky")
            #expect(run.status == .completed)
            #expect(run.attemptCount == 2)
            #expect(run.attempts.first?.error?.message.contains("exited with status 3") == true)
            #expect(run.attempts.first?.error?.message.contains("simulated failure on attempt 1") == true)
            #expect(run.resultJSON == .object(["succeededOnAttempt": .integer(2)]))
        }
    }

    @Test("count-bytes pipes the payload through a shell")
    func countBytes() async throws {
        try await LiveProject.run(try ProjectConfig.load(path: Self.path)) { project in
            let run = try await project.runToEnd("count-bytes", payload: #"{"a":1}"#)
            #expect(run.resultJSON == .integer(7))
        }
    }

    @Test("welcome runs when a pro user is created, and refuses a payload without an email")
    func welcome() async throws {
        try await LiveProject.run(try ProjectConfig.load(path: Self.path)) { project in
            let payload = #"{"email":"ada@example.com","plan":"pro"}"#
            let event = try await project.errand.publish(event: "created:user:42", payload: Data(payload.utf8))
            let run = try #require(try await project.errand.runs(RunQuery(eventID: event.id)).runs.first)
            let finished = try await project.errand.waitForCompletion(run.id, pollInterval: .milliseconds(50))
            #expect(finished.resultJSON == .object(["welcomed": .object(["email": .string("ada@example.com"), "plan": .string("pro")])]))
            let error = await #expect(throws: ErrandError.self) {
                try await project.errand.trigger(TriggerRequest(task: "welcome", payload: Data(#"{"plan":"pro"}"#.utf8)))
            }
            #expect(error?.field == "payload.email")
        }
    }
}
