import Errand
import Foundation
import Testing

@Suite("Event routes")
struct EventRouteTests {
    /// Subscribes `echo` and `double` to `user.*`.
    static func subscribeTwo(_ server: TestServer) throws {
        try server.errand.subscribe(TestTasks.echo, to: "user.*")
        try server.errand.subscribe(TestTasks.double, to: "user.created")
    }

    @Test("publishing an event with two subscribers answers 201 with the two runs it created, each carrying the event")
    func publishCreatesOneRunPerSubscriber() async throws {
        try await TestServer.run { server in
            try Self.subscribeTwo(server)
            let reply = try await server.api.post("/api/v1/events", #"{"name":"user.created","payload":{"count":2},"id":"signup-1"}"#)
            #expect(reply.status == 201)
            #expect(reply.json["id"]?.string == "signup-1")
            #expect(reply.json["name"]?.string == "user.created")
            let runIDs = reply.json["runs"]?.array.compactMap(\.string) ?? []
            #expect(runIDs.count == 2)
            var tasks: Set<String> = []
            for id in runIDs {
                let run = try await server.api.get("/api/v1/runs/\(id)")
                #expect(run.json["eventID"]?.string == "signup-1")
                #expect(run.json["origin"]?.string == "event:signup-1")
                #expect(run.json["payload"]?["count"]?.int == 2)
                tasks.insert(run.json["task"]?.string ?? "")
            }
            #expect(tasks == ["echo", "double"])
            let filtered = try await server.api.get("/api/v1/runs?eventId=signup-1")
            #expect(Set(filtered.json["runs"]?.array.compactMap { $0["id"]?.string } ?? []) == Set(runIDs))
        }
    }

    @Test("publishing again with the same id answers 200 with the same runs and creates nothing")
    func republishIsIdempotent() async throws {
        try await TestServer.run { server in
            try Self.subscribeTwo(server)
            let body = #"{"name":"user.created","payload":{"count":1},"id":"signup-2"}"#
            let first = try await server.api.post("/api/v1/events", body)
            let second = try await server.api.post("/api/v1/events", body)
            #expect(first.status == 201)
            #expect(second.status == 200)
            #expect(second.json["runs"] == first.json["runs"])
            #expect(second.json["id"]?.string == "signup-2")
            #expect(try await server.api.get("/api/v1/runs").json["runs"]?.array.count == 2)
        }
    }

    @Test("a payload a subscriber cannot decode is 400 naming the field, and nothing is stored")
    func badPayloadNamesTheField() async throws {
        try await TestServer.run { server in
            try Self.subscribeTwo(server)
            let reply = try await server.api.post("/api/v1/events", #"{"name":"user.created","payload":{"count":"two"},"id":"bad-1"}"#)
            #expect(reply.status == 400)
            #expect(reply.errorField == "payload.count")
            #expect(reply.json["error"]?["message"]?.string?.contains("double") == true)
            #expect(try await server.api.get("/api/v1/events/bad-1").status == 404)
            #expect(try await server.api.get("/api/v1/runs").json["runs"]?.array.isEmpty == true)
        }
    }

    @Test("a bad name, a missing name, an unknown field and a bad after are 400 naming the field")
    func badBodies() async throws {
        try await TestServer.run { server in
            let cases: [(body: String, field: String)] = [
                (#"{"name":"user created"}"#, "name"), (#"{"payload":{}}"#, "name"), (#"{"name":"a..b"}"#, "name"),
                (#"{"name":"user.created","color":"red"}"#, "color"), (#"{"name":"user.created","after":"soonish"}"#, "after"),
                (#"{"name":"user.created","id":""}"#, "id"), (#"{"name":7}"#, "name"),
            ]
            for (body, field) in cases {
                let reply = try await server.api.post("/api/v1/events", body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorField == field, "\(body): \(reply.text)")
            }
            #expect(try await server.api.post("/api/v1/events").status == 400)
        }
    }

    @Test("after delays every run the event causes")
    func afterDelaysTheRuns() async throws {
        try await TestServer.run { server in
            try Self.subscribeTwo(server)
            let reply = try await server.api.post("/api/v1/events", #"{"name":"user.created","payload":{"count":1},"after":"1 hour"}"#)
            #expect(reply.status == 201)
            for id in reply.json["runs"]?.array.compactMap(\.string) ?? [] {
                #expect(try await server.api.get("/api/v1/runs/\(id)").json["status"]?.string == "delayed")
            }
        }
    }

    @Test("events are listed newest first, a page at a time, and filtered by name")
    func listEvents() async throws {
        try await TestServer.run { server in
            for (index, name) in ["user.created", "user.deleted", "user.created"].enumerated() {
                let reply = try await server.api.post("/api/v1/events", #"{"name":"\#(name)","id":"e\#(index)"}"#)
                #expect(reply.status == 201)
                #expect(reply.json["runs"]?.array == [])
            }
            let all = try await server.api.get("/api/v1/events")
            #expect(all.status == 200)
            #expect(all.json["events"]?.array.compactMap { $0["id"]?.string } == ["e2", "e1", "e0"])
            #expect(all.json["nextCursor"] == .null)
            let first = try await server.api.get("/api/v1/events?limit=2")
            #expect(first.json["events"]?.array.count == 2)
            let cursor = try #require(first.json["nextCursor"]?.string)
            let second = try await server.api.get("/api/v1/events?limit=2&cursor=\(cursor)")
            #expect(second.json["events"]?.array.compactMap { $0["id"]?.string } == ["e0"])
            let named = try await server.api.get("/api/v1/events?name=user.created")
            #expect(named.json["events"]?.array.compactMap { $0["id"]?.string } == ["e2", "e0"])
            #expect(try await server.api.get("/api/v1/events?limit=0").errorField == "limit")
            #expect(try await server.api.get("/api/v1/events?cursor=abc").errorField == "cursor")
            #expect(try await server.api.get("/api/v1/events?name=a*").errorField == "name")
            #expect(try await server.api.get("/api/v1/events?sort=asc").errorField == "sort")
        }
    }

    @Test("an event is shown with its payload, its publisher and the id, task and status of each run it caused; unknown is 404")
    func getEvent() async throws {
        try await TestServer.run { server in
            try Self.subscribeTwo(server)
            let published = try await server.api.post("/api/v1/events", #"{"name":"user.created","payload":{"count":3},"id":"e-show"}"#)
            let reply = try await server.api.get("/api/v1/events/e-show")
            #expect(reply.status == 200)
            #expect(reply.json["name"]?.string == "user.created")
            #expect(reply.json["payload"]?["count"]?.int == 3)
            #expect(reply.json["origin"]?.string == "apiKey")
            #expect(reply.json["publishedAt"]?.string != nil)
            #expect(reply.json["runIDs"] == published.json["runs"])
            let runs = reply.json["runs"]?.array ?? []
            #expect(runs.count == 2)
            #expect(Set(runs.compactMap { $0["task"]?.string }) == ["echo", "double"])
            #expect(runs.allSatisfy { $0["status"]?.string == "queued" })
            let missing = try await server.api.get("/api/v1/events/e-nope")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "event_not_found")
        }
    }
}
