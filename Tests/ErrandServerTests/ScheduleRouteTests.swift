import Errand
import Foundation
import Testing

@Suite("Schedule routes")
struct ScheduleRouteTests {
    @Test("create answers 201 with five next fire times; the same key again answers 200 with the same schedule")
    func createWithDedupKey() async throws {
        try await TestServer.run { server in
            let body = #"{"task":"echo","expression":"cron(0 8 * * ? *)","timezone":"Europe/Berlin","payload":{"x":1},"key":"morning"}"#
            let created = try await server.api.post("/api/v1/schedules", body)
            #expect(created.status == 201)
            #expect(created.json["nextFireTimes"]?.array.count == 5)
            #expect(created.json["timeZone"]?.string == "Europe/Berlin")
            let again = try await server.api.post("/api/v1/schedules", body)
            #expect(again.status == 200)
            #expect(again.json["id"] == created.json["id"])
            let list = try await server.api.get("/api/v1/schedules")
            #expect(list.json["schedules"]?.array.count == 1)
            #expect(list.json["nextCursor"] == .null)
            let tasks = try await server.api.get("/api/v1/tasks")
            let echo = tasks.json["tasks"]?.array.first { $0["name"]?.string == "echo" }
            #expect(echo?["schedules"]?.array.count == 1)
        }
    }

    @Test("pause, resume and delete answer the schedule; an unknown id is 404")
    func pauseResumeDelete() async throws {
        try await TestServer.run { server in
            let id = try #require(try await server.api.post("/api/v1/schedules", #"{"task":"echo","expression":"rate(5 minutes)"}"#).json["id"]?.string)
            let paused = try await server.api.post("/api/v1/schedules/\(id)/pause")
            #expect(paused.status == 200)
            #expect(paused.json["paused"] == .bool(true))
            #expect(paused.json["nextFireTimes"]?.array == [])
            let resumed = try await server.api.post("/api/v1/schedules/\(id)/resume")
            #expect(resumed.json["paused"] == .bool(false))
            #expect(resumed.json["nextFireTimes"]?.array.count == 5)
            let deleted = try await server.api.delete("/api/v1/schedules/\(id)")
            #expect(deleted.status == 200)
            #expect(try await server.api.delete("/api/v1/schedules/\(id)").status == 404)
            #expect(try await server.api.post("/api/v1/schedules/\(id)/pause").status == 404)
        }
    }

    @Test("a bad cron is 400 naming expression; an unknown task is 404; a bad zone names timezone")
    func badSchedules() async throws {
        try await TestServer.run { server in
            let cron = try await server.api.post("/api/v1/schedules", #"{"task":"echo","expression":"cron(61 8 * * ? *)"}"#)
            #expect(cron.status == 400)
            #expect(cron.errorField == "expression")
            let task = try await server.api.post("/api/v1/schedules", #"{"task":"nope","expression":"rate(1 hour)"}"#)
            #expect(task.status == 404)
            let zone = try await server.api.post("/api/v1/schedules", #"{"task":"echo","expression":"0 8 * * ? *","timezone":"Mars/Olympus"}"#)
            #expect(zone.status == 400)
            #expect(zone.errorField == "timezone")
            let missing = try await server.api.post("/api/v1/schedules", #"{"task":"echo"}"#)
            #expect(missing.status == 400)
            #expect(missing.errorField == "expression")
        }
    }
}
