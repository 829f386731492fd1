import Errand
import Foundation
import Testing

@Suite("Trigger routes")
struct TriggerRouteTests {
    @Test("trigger answers 202 with the id of a stored run carrying the options")
    func triggerStoresRun() async throws {
        try await TestServer.run { server in
            let reply = try await server.api.post(
                "/api/v1/tasks/echo/trigger", #"{"payload":{"a":1},"priority":3,"tags":["t1"],"idempotencyKey":"k1","concurrencyKey":"c1"}"#
            )
            #expect(reply.status == 202)
            let id = try #require(reply.json["id"]?.string)
            let run = try await server.api.get("/api/v1/runs/\(id)")
            #expect(run.status == 200)
            #expect(run.json["task"]?.string == "echo")
            #expect(run.json["status"]?.string == "queued")
            #expect(run.json["priority"]?.int == 3)
            #expect(run.json["payload"]?["a"]?.int == 1)
            #expect(run.json["tags"]?.array == [.string("t1")])
            #expect(run.json["concurrencyKey"]?.string == "c1")
            #expect(run.json["attempts"]?.array == [])
            let again = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":{"a":2},"idempotencyKey":"k1"}"#)
            #expect(again.json["id"]?.string == id)
            let url = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":{"u":"https://a.example/b/c"}}"#)
            let stored = try await server.errand.state(RunID(try #require(url.json["id"]?.string)))
            #expect(stored.map { String(decoding: $0.payload, as: UTF8.self) } == #"{"u":"https://a.example/b/c"}"#, "slashes stored as sent")
        }
    }

    @Test("after accepts numbers and strings and delays the run; a bad after is 400 naming after")
    func afterForms() async throws {
        try await TestServer.run { server in
            let tomorrow = ISO8601Timestamp.string(from: Date().addingTimeInterval(86400))
            for after in [#""1 hour""#, "3600000", "\"\(tomorrow)\""] {
                let reply = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":\#(after)}"#)
                #expect(reply.status == 202)
                let run = try await server.api.get("/api/v1/runs/\(reply.json["id"]?.string ?? "")")
                #expect(run.json["status"]?.string == "delayed")
            }
            let bad = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":"soonish"}"#)
            #expect(bad.status == 400)
            #expect(bad.errorField == "after")
            let wrongType = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"after":true}"#)
            #expect(wrongType.status == 400)
            #expect(wrongType.errorField == "after")
        }
    }

    @Test("an unknown task is 404 naming the registered tasks")
    func unknownTask() async throws {
        try await TestServer.run { server in
            let reply = try await server.api.post("/api/v1/tasks/nope/trigger", "{}")
            #expect(reply.status == 404)
            #expect(reply.errorCode == "unknown_task")
            #expect(reply.json["error"]?["message"]?.string?.contains("echo") == true)
        }
    }

    @Test("a task name is percent-decoded from the path (as the dashboard encodes it); malformed encoding is 400 naming task")
    func percentEncodedTaskName() async throws {
        try await TestServer.run { server in
            try server.errand.register(TaskDefinition<JSONValue, JSONValue>("resize image/ö") { payload, _ in payload })
            let reply = try await server.api.post("/api/v1/tasks/resize%20image%2F%C3%B6/trigger", "{}")
            #expect(reply.status == 202, "\(reply.json)")
            let id = try #require(reply.json["id"]?.string)
            #expect(try await server.errand.state(RunID(id))?.task == "resize image/ö")
            let malformed = try await server.api.post("/api/v1/tasks/resize%zzimage/trigger", "{}")
            #expect(malformed.status == 400)
            #expect(malformed.errorField == "task")
        }
    }

    @Test("a control character in a tag, a key or an event id is 400 naming the field; nothing is stored")
    func controlCharactersInIdentifiers() async throws {
        try await TestServer.run { server in
            for (body, field) in [
                (#"{"tags":["ok","a\u0000"]}"#, "tags"), (#"{"idempotencyKey":"k\u0000"}"#, "idempotencyKey"),
                (#"{"concurrencyKey":"\u0007"}"#, "concurrencyKey"),
            ] {
                let reply = try await server.api.post("/api/v1/tasks/echo/trigger", body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorField == field, "\(body): \(reply.json)")
                #expect(reply.json["error"]?["message"]?.string?.contains("\\u{") == true, "the character is shown escaped: \(reply.json)")
            }
            let event = try await server.api.post("/api/v1/events", #"{"name":"x.y","id":"\u0000"}"#)
            #expect(event.status == 400)
            #expect(event.errorField == "id")
            #expect(try await server.errand.runs().runs.isEmpty)
        }
    }

    @Test("malformed JSON, a non-object body, unknown fields and wrong types are 400 naming the problem")
    func badBodies() async throws {
        try await TestServer.run { server in
            let malformed = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload": "#)
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "malformed_json")
            #expect(malformed.json["error"]?["message"]?.string?.contains("not valid JSON") == true)
            let array = try await server.api.post("/api/v1/tasks/echo/trigger", "[1]")
            #expect(array.status == 400)
            #expect(array.errorField == "body")
            let unknown = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payloud":1}"#)
            #expect(unknown.status == 400)
            #expect(unknown.errorField == "payloud")
            let priority = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"priority":"high"}"#)
            #expect(priority.status == 400)
            #expect(priority.errorField == "priority")
            let typed = try await server.api.post("/api/v1/tasks/double/trigger", #"{"payload":{"count":"two"}}"#)
            #expect(typed.status == 400)
            #expect(typed.errorField?.hasPrefix("payload") == true)
        }
    }

    @Test("a payload over 256 KB is 413 with both sizes; a body over the limit is 413")
    func sizeLimits() async throws {
        try await TestServer.run { server in
            let big = String(repeating: "x", count: 300 * 1024)
            let payload = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":"\#(big)"}"#)
            #expect(payload.status == 413)
            #expect(payload.errorField == "payload")
            let message = payload.json["error"]?["message"]?.string ?? ""
            #expect(message.contains("262144") && message.contains("\(big.utf8.count + 2)"))
            let huge = try await server.api.post("/api/v1/tasks/echo/trigger", #"{"payload":"\#(String(repeating: "y", count: 2 << 20))"}"#)
            #expect(huge.status == 413)
            #expect(huge.errorCode == "body_too_large")
        }
    }

    @Test("batch trigger creates every run, or none when an item is bad (naming the item)")
    func batchTrigger() async throws {
        try await TestServer.run { server in
            let reply = try await server.api.post("/api/v1/tasks/double/batch-trigger", #"{"items":[{"payload":{"count":1}},{"payload":{"count":2},"tags":["b"]}]}"#)
            #expect(reply.status == 202)
            #expect(reply.json["ids"]?.array.count == 2)
            let bad = try await server.api.post("/api/v1/tasks/double/batch-trigger", #"{"items":[{"payload":{"count":1}},{"payload":{"count":1},"priority":"x"}]}"#)
            #expect(bad.status == 400)
            #expect(bad.errorField == "items[1].priority")
            let runs = try await server.api.get("/api/v1/runs?task=double")
            #expect(runs.json["runs"]?.array.count == 2)
            let empty = try await server.api.post("/api/v1/tasks/double/batch-trigger", #"{"items":[]}"#)
            #expect(empty.status == 400)
            #expect(empty.errorField == "items")
        }
    }
}
