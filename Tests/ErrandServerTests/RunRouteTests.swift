import Errand
import Foundation
import Testing

@Suite("Run routes")
struct RunRouteTests {
    @Test("list filters by task, status and tag and pages with the cursor")
    func listFiltersAndPages() async throws {
        try await TestServer.run { server in
            for index in 0..<5 {
                _ = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":\#(index),"tags":["\#(index % 2 == 0 ? "even" : "odd")"]}"#)
            }
            _ = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":"1 hour"}"#)
            _ = try await server.api.post("/api/v1/tasks/double/trigger", #"{"payload":{"count":1}}"#)

            let echo = try await server.api.get("/api/v1/runs?task=echo")
            #expect(echo.json["runs"]?.array.count == 6)
            let delayed = try await server.api.get("/api/v1/runs?status=delayed,completed")
            #expect(delayed.json["runs"]?.array.count == 1)
            let repeated = try await server.api.get("/api/v1/runs?status=delayed&status=queued")
            #expect(repeated.json["runs"]?.array.count == 7)
            let even = try await server.api.get("/api/v1/runs?tag=even")
            #expect(even.json["runs"]?.array.count == 3)

            let first = try await server.api.get("/api/v1/runs?limit=4")
            #expect(first.json["runs"]?.array.count == 4)
            let cursor = try #require(first.json["nextCursor"]?.string)
            let second = try await server.api.get("/api/v1/runs?limit=4&cursor=\(cursor)")
            #expect(second.json["runs"]?.array.count == 3)
            #expect(second.json["nextCursor"] == .null)
            let firstIDs = Set(first.json["runs"]!.array.compactMap { $0["id"]?.string })
            let secondIDs = Set(second.json["runs"]!.array.compactMap { $0["id"]?.string })
            #expect(firstIDs.isDisjoint(with: secondIDs))

            let future = try await server.api.get("/api/v1/runs?createdAfter=2099-01-01T00:00:00Z")
            #expect(future.json["runs"]?.array.count == 0)
        }
    }

    @Test("bad list parameters are 400 naming the parameter")
    func badListParameters() async throws {
        try await TestServer.run { server in
            for (query, field) in [("status=sleeping", "status"), ("limit=0", "limit"), ("cursor=abc", "cursor"), ("createdAfter=yesterday", "createdAfter"), ("colour=red", "colour")] {
                let reply = try await server.api.get("/api/v1/runs?\(query)")
                #expect(reply.status == 400, "\(query)")
                #expect(reply.errorField == field, "\(query)")
            }
        }
    }

    @Test("a control character in a query value or a path parameter is 400 naming it, never a store error")
    func controlCharactersInTheURL() async throws {
        try await TestServer.run { server in
            for (path, field) in [
                ("/api/v1/runs?tag=%00", "tag"), ("/api/v1/runs?eventId=a%00b", "eventId"), ("/api/v1/schedules?cursor=%00", "cursor"),
                ("/api/v1/runs/run_%00", "id"), ("/api/v1/tokens/%01", "id"),
            ] {
                let reply = try await server.api.get(path)
                #expect(reply.status == 400, "\(path)")
                #expect(reply.errorField == field, "\(path): \(reply.json)")
            }
        }
    }

    @Test("an unknown run is 404 for get, cancel and replay")
    func unknownRun() async throws {
        try await TestServer.run { server in
            let get = try await server.api.get("/api/v1/runs/run_nope")
            let cancel = try await server.api.post("/api/v1/runs/run_nope/cancel")
            let replay = try await server.api.post("/api/v1/runs/run_nope/replay")
            #expect([get.status, cancel.status, replay.status] == [Int](repeating: 404, count: 3))
            #expect(get.errorCode == "run_not_found")
        }
    }

    @Test("cancel answers the canceled run; replay answers 202 with a new run, with a new payload when given")
    func cancelAndReplay() async throws {
        try await TestServer.run { server in
            let id = try #require(try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":{"v":1},"after":"1 hour"}"#).json["id"]?.string)
            let canceled = try await server.api.post("/api/v1/runs/\(id)/cancel")
            #expect(canceled.status == 200)
            #expect(canceled.json["status"]?.string == "canceled")
            #expect(canceled.json["attempts"]?.array == [])

            let same = try await server.api.post("/api/v1/runs/\(id)/replay")
            #expect(same.status == 202)
            let replay = try await server.api.get("/api/v1/runs/\(same.json["id"]?.string ?? "")")
            #expect(replay.json["replayOf"]?.string == id)
            #expect(replay.json["payload"]?["v"]?.int == 1)

            let changed = try await server.api.post("/api/v1/runs/\(id)/replay", #"{"payload":{"v":2}}"#)
            #expect(changed.status == 202)
            let second = try await server.api.get("/api/v1/runs/\(changed.json["id"]?.string ?? "")")
            #expect(second.json["payload"]?["v"]?.int == 2)
        }
    }

    @Test("bulk cancel and bulk replay act on the filter's runs; an empty filter is 400")
    func bulkActions() async throws {
        try await TestServer.run { server in
            var ids: [String] = []
            for _ in 0..<3 {
                ids.append(try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":"1 hour","tags":["bulk"]}"#).json["id"]?.string ?? "")
            }
            _ = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":"1 hour"}"#)

            let empty = try await server.api.post("/api/v1/runs/bulk-cancel", #"{"filter":{}}"#)
            #expect(empty.status == 400)
            #expect(empty.errorField == "filter")
            let missing = try await server.api.post("/api/v1/runs/bulk-replay", "{}")
            #expect(missing.status == 400)
            #expect(missing.errorField == "filter")

            let canceled = try await server.api.post("/api/v1/runs/bulk-cancel", #"{"filter":{"tag":"bulk"}}"#)
            #expect(canceled.status == 200)
            #expect(canceled.json["count"]?.int == 3)
            #expect(Set(canceled.json["ids"]!.array.compactMap(\.string)) == Set(ids))
            let still = try await server.api.get("/api/v1/runs?status=delayed")
            #expect(still.json["runs"]?.array.count == 1)

            let replayed = try await server.api.post("/api/v1/runs/bulk-replay", #"{"filter":{"tag":"bulk","status":["canceled"]}}"#)
            #expect(replayed.status == 200)
            #expect(replayed.json["count"]?.int == 3)
            let fresh = try await server.api.get("/api/v1/runs/\(replayed.json["ids"]?[0]?.string ?? "")")
            #expect(ids.contains(fresh.json["replayOf"]?.string ?? ""))
        }
    }
}
