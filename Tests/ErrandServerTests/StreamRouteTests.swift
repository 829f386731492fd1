import Errand
import Foundation
import Testing

@Suite("Server-sent events")
struct StreamRouteTests {
    /// The (event, data) messages of an event stream body.
    static func messages(_ text: String) -> [(event: String, data: JSONValue)] {
        // Chunk framing (raw socket reads) uses CRLF, which Swift treats as one character.
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { block in
            var event: String?
            var data: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard let event, let data else { return nil }
            return (event, (try? JSONDecoder().decode(JSONValue.self, from: Data(data.utf8))) ?? .null)
        }
    }

    @Test("a run's stream sends the run, its new states with attempts, then end once it is final")
    func runStreamEndsWhenFinal() async throws {
        try await TestServer.run(worker: true) { server in
            let id = try #require(try await server.api.post("/api/v1/tasks/double/trigger", #"{"payload":{"count":21}}"#).json["id"]?.string)
            let reply = try await server.api.get("/api/v1/runs/\(id)/stream")
            #expect(reply.status == 200)
            #expect(reply.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let messages = Self.messages(reply.text)
            #expect(messages.last?.event == "end")
            #expect(messages.last?.data["id"]?.string == id)
            let runs = messages.filter { $0.event == "run" }
            #expect(runs.first?.data["id"]?.string == id)
            #expect(runs.last?.data["status"]?.string == "completed")
            #expect(runs.last?.data["result"]?["count"]?.int == 42)
            #expect(runs.last?.data["attempts"]?.array.count == 1)
        }
    }

    @Test("a finished run's stream sends the run and end at once; an unknown run is 404")
    func finishedAndUnknownRuns() async throws {
        try await TestServer.run { server in
            let id = try #require(try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":"1 hour"}"#).json["id"]?.string)
            #expect(try await server.api.get("/api/v1/runs/run_missing/stream").status == 404)
            _ = try await server.api.post("/api/v1/runs/\(id)/cancel")
            let messages = Self.messages(try await server.api.get("/api/v1/runs/\(id)/stream").text)
            #expect(messages.map(\.event) == ["run", "end"])
            #expect(messages.first?.data["status"]?.string == "canceled")
        }
    }

    @Test("the all-runs stream sends run events and keep-alive comments, and ends its subscription when the client leaves")
    func allRunsStream() async throws {
        try await TestServer.run(worker: true) { server in
            let url = "http://127.0.0.1:\(server.api.client.port ?? 0)"
            let stream = try RawHTTPStream(url: url + "/api/v1/stream")
            // Each trigger may land before the stream subscribed; trigger until an event arrives.
            var received = ""
            for _ in 0..<50 where !received.contains("event: run") {
                _ = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":"hi"}"#)
                received += try await stream.read()
            }
            let event = try #require(StreamRouteTests.messages(received).first { $0.event == "run" })
            for key in ["kind", "runId", "task", "status", "attempt", "at", "message", "percent", "error"] {
                #expect(event.data[key] != nil, "\(key)")
            }
            while !received.contains(": keep-alive") { received += try await stream.read() }
            stream.close()
            var open = -1.0
            for _ in 0..<200 where open != 0 {
                let metrics = try await server.api.get("/metrics").text
                open = metrics.split(separator: "\n").first { $0.hasPrefix("errand_http_open_streams ") }
                    .flatMap { Double($0.split(separator: " ")[1]) } ?? -1
                if open != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(open == 0)
        }
    }
}
