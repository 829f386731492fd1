import Errand
import Foundation
import Testing

@Suite("Queue routes")
struct QueueRouteTests {
    @Test("queues list the tasks' queues with limits and counts; pause and resume answer the queue")
    func listPauseResume() async throws {
        try await TestServer.run { server in
            _ = try await server.api.post("/api/v1/tasks/double/trigger", #"{"payload":{"count":1}}"#)
            _ = try await server.api.post("/api/v1/tasks/double/trigger", #"{"payload":{"count":1},"after":"1 hour"}"#)
            let list = try await server.api.get("/api/v1/queues")
            let math = try #require(list.json["queues"]?.array.first { $0["name"]?.string == "math" })
            #expect(math["concurrency"]?.int == 2)
            #expect(math["paused"] == .bool(false))
            #expect(math["counts"]?["queued"]?.int == 1)
            #expect(math["counts"]?["delayed"]?.int == 1)
            #expect(math["counts"]?["executing"]?.int == 0)
            #expect(list.json["queues"]?.array.contains { $0["name"]?.string == "echo" } == true)

            let paused = try await server.api.post("/api/v1/queues/math/pause")
            #expect(paused.status == 200)
            #expect(paused.json["paused"] == .bool(true))
            let resumed = try await server.api.post("/api/v1/queues/math/resume")
            #expect(resumed.json["paused"] == .bool(false))
            let unknown = try await server.api.post("/api/v1/queues/nowhere/pause")
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "queue_not_found")
        }
    }
}
