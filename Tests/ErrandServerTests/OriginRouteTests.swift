import Errand
import Foundation
import HTTPTypes
import Testing

@Suite("Run origins over HTTP")
struct OriginRouteTests {
    static let dashboardHeader: HTTPFields = [HTTPField.Name("X-Errand-Client")!: "dashboard"]

    /// The `origin` of the run with this id.
    static func origin(_ server: TestServer, _ id: String?) async throws -> String? {
        try await server.api.get("/api/v1/runs/\(id ?? "")").json["origin"]?.string
    }

    @Test("on an open server a run is the API's (apiKey without a name) or, with X-Errand-Client: dashboard, the dashboard's")
    func openServer() async throws {
        try await TestServer.run { server in
            let plain = try await server.api.post("/api/v1/tasks/echo/trigger", "{}")
            #expect(try await Self.origin(server, plain.json["id"]?.string) == "apiKey")
            let dashboard = try await server.api.post("/api/v1/tasks/echo/trigger", "{}", headers: Self.dashboardHeader)
            #expect(try await Self.origin(server, dashboard.json["id"]?.string) == "dashboard")
            let batch = try await server.api.post("/api/v1/tasks/echo/batch-trigger", #"{"items":[{},{}]}"#, headers: Self.dashboardHeader)
            for id in batch.json["ids"]?.array.compactMap(\.string) ?? [] {
                #expect(try await Self.origin(server, id) == "dashboard")
            }
        }
    }

    @Test("with keys a run records the API key's name (never its secret), or the dashboard with the key it logged in with")
    func keysAndSessions() async throws {
        try await TestServer.run(keys: [("deploy", .write)]) { server in
            let secret = try #require(server.secrets["deploy"])
            let api = server.api.bearer(secret)
            let keyed = try await api.post("/api/v1/tasks/echo/trigger", "{}", headers: Self.dashboardHeader)
            let keyedRun = try await api.get("/api/v1/runs/\(keyed.json["id"]?.string ?? "")")
            #expect(keyedRun.json["origin"]?.string == "apiKey:deploy")
            #expect(!keyedRun.text.contains(secret))

            let login = try await server.api.post("/login", #"{"key":"\#(secret)"}"#)
            let cookie = String(try #require(login.headers[.setCookie]).split(separator: ";")[0])
            let csrf = try #require(login.json["csrfToken"]?.string)
            let session: HTTPFields = [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf]
            let fromDashboard = try await server.api.post("/api/v1/tasks/echo/trigger", "{}", headers: session)
            #expect(try await api.get("/api/v1/runs/\(fromDashboard.json["id"]?.string ?? "")").json["origin"]?.string == "dashboard:deploy")

            let event = try await api.post("/api/v1/events", #"{"name":"deploy.done","id":"d1"}"#)
            #expect(event.status == 201)
            #expect(try await api.get("/api/v1/events/d1").json["origin"]?.string == "apiKey:deploy")
        }
    }

    @Test("runs are filtered by origin kind, or kind and reference; a bad origin is 400 naming origin")
    func filterByOrigin() async throws {
        try await TestServer.run(keys: [("deploy", .write), ("ci", .write)]) { server in
            let deploy = server.api.bearer(try #require(server.secrets["deploy"]))
            let ci = server.api.bearer(try #require(server.secrets["ci"]))
            let first = try #require(try await deploy.post("/api/v1/tasks/echo/trigger", "{}").json["id"]?.string)
            let second = try #require(try await ci.post("/api/v1/tasks/echo/trigger", "{}").json["id"]?.string)
            let ids = { (reply: Reply) in reply.json["runs"]?.array.compactMap { $0["id"]?.string } ?? [] }
            #expect(ids(try await deploy.get("/api/v1/runs?origin=apiKey:deploy")) == [first])
            #expect(ids(try await deploy.get("/api/v1/runs?origin=apiKey:ci")) == [second])
            #expect(ids(try await deploy.get("/api/v1/runs?origin=apiKey")) == [second, first])
            #expect(ids(try await deploy.get("/api/v1/runs?origin=dashboard")) == [])
            #expect(ids(try await deploy.get("/api/v1/runs?origin=")) == [second, first])
            let bad = try await deploy.get("/api/v1/runs?origin=robot:r2")
            #expect(bad.status == 400)
            #expect(bad.errorField == "origin")
            #expect(bad.json["error"]?["message"]?.string?.contains("dashboard") == true)
        }
    }

    @Test("a replay's origin is the run it replays, over HTTP as elsewhere")
    func replayKeepsItsOrigin() async throws {
        try await TestServer.run { server in
            let original = try #require(try await server.api.post("/api/v1/tasks/echo/trigger", "{}").json["id"]?.string)
            _ = try await server.api.post("/api/v1/runs/\(original)/cancel")
            let replay = try await server.api.post("/api/v1/runs/\(original)/replay", headers: Self.dashboardHeader)
            #expect(try await Self.origin(server, replay.json["id"]?.string) == "replay:\(original)")
        }
    }
}
