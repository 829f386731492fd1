import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `errand demo`: runs its example runs to the end, and picks up runs triggered by another process.
@Suite("errand demo")
struct DemoTests {
    @Test(.timeLimit(.minutes(1)))
    func exitsWhenItsRunsAreDone() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        // Four runs: two resize-image, sync-account (queue limit 2) and flaky-report (fails once).
        let output = try await sandbox.errand("demo", "--runs", "4", "--exit-when-done")
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix(" completed") }.count == 4, "\(output.stdout)")
        #expect(lines.contains { $0.contains("flaky-report") && $0.contains("retrying") && $0.contains("UpstreamUnavailable") })
        #expect(lines.contains { $0.contains("resize-image") && $0.contains("progress  50%") })
        #expect(output.stdout.contains("errand runs list --database \(sandbox.database)"))
        #expect(output.stdout.contains("All 4 run(s) finished"))
    }

    @Test(.timeLimit(.minutes(1)))
    func picksUpRunsTriggeredByAnotherProcessAndStopsOnSIGTERM() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let demo = try ChildProcess(["demo", "--runs", "0", "--database", sandbox.database], in: sandbox.directory, label: "demo")
        defer { if demo.isRunning { kill(demo.pid, SIGKILL) } }
        let id = try await sandbox.trigger("send-welcome-email", "--payload", #"{"address": "a@example.com"}"#)

        let deadline = ContinuousClock.now + .seconds(30)
        var completed = false
        while ContinuousClock.now < deadline, demo.isRunning, !completed {
            completed = demo.stdout.split(separator: "\n").contains { $0.contains(id) && $0.hasSuffix(" completed") }
            if !completed { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(completed, "the demo did not execute \(id) within 30 s: \(demo.stdout) \(demo.stderr)")

        kill(demo.pid, SIGTERM)
        #expect(await demo.waitForExit(timeout: .seconds(20)))
        #expect(!demo.terminatedBySignal && demo.terminationStatus == 0, "\(demo.stderr)")

        let shown = try CLISandbox.object(try await sandbox.errand("runs", "show", id, "--json").stdout)
        #expect(shown["status"] as? String == "completed")
        #expect((shown["result"] as? [String: Any])?["to"] as? String == "a@example.com")
    }
}
