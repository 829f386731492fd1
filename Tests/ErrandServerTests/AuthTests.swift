import Errand
import ErrandServer
import Foundation
import HTTPTypes
import Testing

@Suite("Authentication")
struct AuthTests {
    static let keys: [(name: String, scope: APIKeyScope)] = [("reader", .read), ("writer", .write)]

    @Test("with keys, /api needs a key: 401 without or with a wrong one, 403 for a read key on POST")
    func bearerKeys() async throws {
        try await TestServer.run(keys: Self.keys) { server in
            let anonymous = try await server.api.get("/api/v1/runs")
            #expect(anonymous.status == 401)
            #expect(anonymous.errorCode == "unauthenticated")
            #expect(try await server.api.bearer("errand_wrong").get("/api/v1/runs").status == 401)
            let reader = server.api.bearer(server.secrets["reader"]!)
            #expect(try await reader.get("/api/v1/runs").status == 200)
            let denied = try await reader.post("/api/v1/tasks/echo/trigger", "{}")
            #expect(denied.status == 403)
            #expect(denied.errorCode == "insufficient_scope")
            let writer = server.api.bearer(server.secrets["writer"]!)
            #expect(try await writer.post("/api/v1/tasks/echo/trigger", "{}").status == 202)
            #expect(try await server.api.get("/healthz").status == 200)
        }
    }

    @Test("with keys, a path the router matches like /api/… needs a key too: //api/…, /api//v1/…")
    func oddlySlashedPathsAreGuarded() async throws {
        try await TestServer.run(keys: Self.keys) { server in
            for path in ["//api/v1/tasks/echo/trigger", "/api//v1/tasks/echo/trigger", "///api/v1//tasks/echo/trigger"] {
                let anonymous = try await server.api.post(path, "{}")
                #expect(anonymous.status == 401, "\(path)")
            }
            #expect(try await server.api.get("//api/v1/runs").status == 401)
            #expect(try await server.api.get("/api/v1/session").status == 200, "the session route stays open")
            #expect(try await server.errand.runs().runs.isEmpty, "nothing was triggered")
        }
    }

    @Test("without keys everything is open")
    func openWithoutKeys() async throws {
        try await TestServer.run { server in
            #expect(try await server.api.post("/api/v1/tasks/echo/trigger", "{}").status == 202)
            let session = try await server.api.get("/api/v1/session")
            #expect(session.json["authRequired"] == .bool(false))
            #expect(session.json["csrfToken"] == .null)
        }
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie; cookie writes need the CSRF header; logout ends the session")
    func cookieSessionAndCSRF() async throws {
        try await TestServer.run(keys: Self.keys) { server in
            #expect(try await server.api.post("/login", #"{"key":"errand_wrong"}"#).status == 401)
            let login = try await server.api.post("/login", #"{"key":"\#(server.secrets["writer"]!)"}"#)
            #expect(login.status == 200)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let csrf = try #require(login.json["csrfToken"]?.string)
            #expect(login.json["scope"]?.string == "write")

            let session = try await server.api.get("/api/v1/session", headers: [.cookie: cookie])
            #expect(session.json["authRequired"] == .bool(true))
            #expect(session.json["authenticated"] == .bool(true))
            #expect(session.json["scope"]?.string == "write")
            #expect(session.json["csrfToken"]?.string == csrf)

            #expect(try await server.api.get("/api/v1/runs", headers: [.cookie: cookie]).status == 200)
            let noToken = try await server.api.post("/api/v1/tasks/echo/trigger", "{}", headers: [.cookie: cookie])
            #expect(noToken.status == 403)
            #expect(noToken.errorCode == "csrf_token_invalid")
            let wrongToken = try await server.api.post("/api/v1/tasks/echo/trigger", "{}", headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: "nope"])
            #expect(wrongToken.status == 403)
            let withToken = try await server.api.post("/api/v1/tasks/echo/trigger", "{}", headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(withToken.status == 202)

            let logout = try await server.api.post("/logout", headers: [.cookie: cookie])
            #expect(logout.status == 204)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await server.api.get("/api/v1/runs", headers: [.cookie: cookie]).status == 401)
            let after = try await server.api.get("/api/v1/session", headers: [.cookie: cookie])
            #expect(after.json["authenticated"] == .bool(false))
        }
    }

    @Test("a read-key session cannot write even with the CSRF token")
    func readSessionCannotWrite() async throws {
        try await TestServer.run(keys: Self.keys) { server in
            let login = try await server.api.post("/login", #"{"key":"\#(server.secrets["reader"]!)"}"#)
            let cookie = String(login.headers[.setCookie]!.split(separator: ";")[0])
            let csrf = login.json["csrfToken"]?.string ?? ""
            let reply = try await server.api.post("/api/v1/tasks/echo/trigger", "{}", headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(reply.status == 403)
        }
    }

    @Test("the server refuses a non-loopback address without a key, and accepts it with one")
    func nonLoopbackNeedsKey() async throws {
        let errand = Errand(store: MemoryRunStore())
        let open = errand.httpServer(configuration: ServerConfiguration(host: "0.0.0.0", port: 0))
        await #expect(throws: ServerStartError.self) { try await open.checkBinding() }
        let keys = MemoryAPIKeyStore()
        _ = try await keys.create(name: "ops", scope: .write)
        try await errand.httpServer(configuration: ServerConfiguration(host: "0.0.0.0", port: 0, keyStore: keys)).checkBinding()
        try await errand.httpServer(configuration: ServerConfiguration(host: "127.0.0.1", port: 0)).checkBinding()
    }
}
