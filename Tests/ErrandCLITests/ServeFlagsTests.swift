import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `errand serve --labels … --capacity …`: checked before anything starts, shown once serving.
@Suite("errand serve flags")
struct ServeFlagsTests {
    @Test func badLabelsNameTheFlagAndTheRule() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        for labels in ["gpu,,large", "gpu large", "", String(repeating: "x", count: 65), "gpu,héavy"] {
            let output = try await sandbox.errand("serve", "--port", "0", "--labels", labels)
            #expect(output.status != 0, "\(labels)")
            #expect(output.stderr.contains("--labels"), "\(labels): \(output.stderr)")
            #expect(output.stderr.contains("1 to 64 letters, digits, -, _ or ."), "\(labels): \(output.stderr)")
        }
    }

    @Test func badCapacityNamesTheFlag() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        for capacity in ["0", "-3", "eight", "1.5", "1001"] {
            let output = try await sandbox.errand("serve", "--port", "0", "--capacity", capacity)
            #expect(output.status != 0, "\(capacity)")
            #expect(output.stderr.contains("--capacity"), "\(capacity): \(output.stderr)")
        }
        let both = try await sandbox.errand("serve", "--port", "0", "--capacity", "4", "--workers", "8")
        #expect(both.status != 0)
        #expect(both.stderr.contains("--capacity 4 and --workers 8 disagree"))
    }

    @Test(.timeLimit(.minutes(1)))
    func labelsAndCapacityReachTheWorker() async throws {
        let sandbox = try CLISandbox()
        defer { sandbox.remove() }
        let project = "tasks:\n  echo:\n    shell: \"cat\"\n    labels: [gpu]\n"
        try project.write(to: sandbox.directory.appendingPathComponent("errand.yml"), atomically: true, encoding: .utf8)
        let serve = try ChildProcess(
            ["serve", "--port", "0", "--labels", "gpu,large", "--capacity", "8", "--database", sandbox.database],
            in: sandbox.directory, label: "serve"
        )
        defer { if serve.isRunning { kill(serve.pid, SIGKILL) } }
        let deadline = ContinuousClock.now + .seconds(30)
        var url: String?
        while ContinuousClock.now < deadline, serve.isRunning, url == nil {
            url = serve.stdout.split(separator: " ").first { $0.hasPrefix("http://") }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if url == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let base = try #require(url, "serve did not print its URL: \(serve.stderr)")
        #expect(serve.stderr.contains("worker labels gpu,large, capacity 8"), "\(serve.stderr)")
        let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "healthz")))
        let health = try CLISandbox.object(String(decoding: data, as: UTF8.self))
        let worker = try #require(health["worker"] as? [String: Any])
        #expect(worker["labels"] as? [String] == ["gpu", "large"])
        #expect(worker["capacity"] as? Int == 8)
        // The task requires label gpu: only a worker advertising it claims the run.
        var trigger = URLRequest(url: try #require(URL(string: base + "api/v1/tasks/echo/trigger")))
        trigger.httpMethod = "POST"
        trigger.httpBody = Data(#"{"payload":{"hi":1}}"#.utf8)
        let (triggered, _) = try await URLSession.shared.data(for: trigger)
        let id = try #require(try CLISandbox.object(String(decoding: triggered, as: UTF8.self))["id"] as? String)
        var status: String?
        while ContinuousClock.now < deadline, status != "completed" {
            let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: base + "api/v1/runs/\(id)")))
            status = try CLISandbox.object(String(decoding: data, as: UTF8.self))["status"] as? String
            if status != "completed" { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == "completed", "the gpu run was not executed by the gpu worker")
        kill(serve.pid, SIGTERM)
        #expect(await serve.waitForExit(timeout: .seconds(20)))
    }
}
