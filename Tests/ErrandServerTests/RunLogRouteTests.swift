import Errand
import Foundation
import Testing

@Suite("Run log routes")
struct RunLogRouteTests {
    /// Triggers `chatty` and waits until its run completed (its log is then stored).
    static func chattyRun(_ server: TestServer, rounds: Int) async throws -> String {
        let reply = try await server.api.post("/api/v1/tasks/chatty/trigger", #"{"payload":{"rounds":\#(rounds),"pauseMilliseconds":0}}"#)
        let id = try #require(reply.json["id"]?.string)
        let run = try await server.errand.waitForCompletion(RunID(id), pollInterval: .milliseconds(50))
        #expect(run.status == .completed)
        return id
    }

    @Test("a run's lines come in order with index, attempt, level, message, metadata and time")
    func listLines() async throws {
        try await TestServer.run(worker: true) { server in
            let id = try await Self.chattyRun(server, rounds: 2)
            let reply = try await server.api.get("/api/v1/runs/\(id)/logs")
            #expect(reply.status == 200)
            let lines = reply.json["lines"]?.array ?? []
            #expect(lines.compactMap { $0["message"]?.string } == [
                "round 1 starts", "round 1 is slow", "round 1 failed a check", "round 2 starts", "round 2 is slow", "round 2 failed a check",
            ])
            #expect(lines.compactMap { $0["index"]?.int } == [1, 2, 3, 4, 5, 6])
            #expect(lines.compactMap { $0["level"]?.string } == ["info", "warning", "error", "info", "warning", "error"])
            #expect(lines.allSatisfy { $0["attempt"]?.int == 1 && $0["time"]?.string != nil })
            #expect(lines.first?["metadata"]?["round"]?.string == "1")
            #expect(reply.json["next"] == .null)
        }
    }

    @Test("level keeps the lines at or above it; limit and after page through them")
    func levelAndPaging() async throws {
        try await TestServer.run(worker: true) { server in
            let id = try await Self.chattyRun(server, rounds: 3)
            let warnings = try await server.api.get("/api/v1/runs/\(id)/logs?level=warning")
            #expect(warnings.json["lines"]?.array.compactMap { $0["level"]?.string } == ["warning", "error", "warning", "error", "warning", "error"])
            let errors = try await server.api.get("/api/v1/runs/\(id)/logs?level=error&limit=2")
            #expect(errors.json["lines"]?.array.compactMap { $0["index"]?.int } == [3, 6])
            let next = try #require(errors.json["next"]?.int)
            let rest = try await server.api.get("/api/v1/runs/\(id)/logs?level=error&limit=2&after=\(next)")
            #expect(rest.json["lines"]?.array.compactMap { $0["index"]?.int } == [9])
            #expect(rest.json["next"] == .null)
            let all = try await server.api.get("/api/v1/runs/\(id)/logs?level=trace&after=7")
            #expect(all.json["lines"]?.array.compactMap { $0["index"]?.int } == [8, 9])
        }
    }

    @Test("a bad level is 400 naming level and listing the levels; bad after and limit name theirs; an unknown run is 404")
    func badParameters() async throws {
        try await TestServer.run { server in
            let id = try #require(try await server.api.post("/api/v1/tasks/echo/trigger", "{}").json["id"]?.string)
            let level = try await server.api.get("/api/v1/runs/\(id)/logs?level=loud")
            #expect(level.status == 400)
            #expect(level.errorField == "level")
            let message = level.json["error"]?["message"]?.string ?? ""
            #expect(["\"loud\"", "trace", "debug", "info", "notice", "warning", "error", "critical"].allSatisfy { message.contains($0) })
            #expect(try await server.api.get("/api/v1/runs/\(id)/logs?after=-1").errorField == "after")
            #expect(try await server.api.get("/api/v1/runs/\(id)/logs?limit=1001").errorField == "limit")
            let empty = try await server.api.get("/api/v1/runs/\(id)/logs")
            #expect(empty.status == 200)
            #expect(empty.json["lines"]?.array == [])
            let missing = try await server.api.get("/api/v1/runs/run_missing/logs")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "run_not_found")
        }
    }

    @Test("the run's stream sends each new log line as a log event as it is written")
    func streamSendsLogLines() async throws {
        try await TestServer.run(worker: true) { server in
            // Long enough (20 rounds, 50 ms apart) that most lines are written after the stream opened.
            let reply = try await server.api.post("/api/v1/tasks/chatty/trigger", #"{"payload":{"rounds":20,"pauseMilliseconds":50}}"#)
            let id = try #require(reply.json["id"]?.string)
            let stream = try await server.api.get("/api/v1/runs/\(id)/stream")
            let messages = StreamRouteTests.messages(stream.text)
            let logs = messages.filter { $0.event == "log" }
            #expect(logs.contains { $0.data["message"]?.string == "round 20 failed a check" && $0.data["level"]?.string == "error" })
            let last = try #require(logs.last)
            #expect(last.data["attempt"]?.int == 1)
            #expect(last.data["index"] == .null)
            #expect(last.data["time"]?.string != nil)
            #expect(logs.contains { $0.data["metadata"]?["round"]?.string == "20" })
            #expect(messages.last?.event == "end")
            // Log lines are not run states: the stream does not re-read and re-send the run for each of them.
            #expect(messages.filter { $0.event == "run" }.count < logs.count / 2)
        }
    }
}
