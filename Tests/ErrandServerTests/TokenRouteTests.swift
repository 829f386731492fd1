import Errand
import Foundation
import Testing

@Suite("Wait token routes")
struct TokenRouteTests {
    @Test("a token completed over HTTP resumes its run with the value; again is 409, unknown is 404")
    func completeOverHTTP() async throws {
        try await TestServer.run(worker: true) { server in
            let trigger = try await server.api.post("/api/v1/tasks/approval/trigger", #"{"payload":{}}"#)
            let id = try #require(trigger.json["id"]?.string)
            var tokens: [WaitToken] = []
            for _ in 0..<200 where tokens.isEmpty {
                if try await server.errand.state(RunID(id))?.status == .waiting {
                    tokens = try await server.errand.tokens(ofRun: RunID(id))
                }
                if tokens.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            let token = try #require(tokens.first)
            let shown = try await server.api.get("/api/v1/tokens/\(token.id)")
            #expect(shown.json["status"]?.string == "pending")
            #expect(shown.json["runId"]?.string == id)

            let completed = try await server.api.post("/api/v1/tokens/\(token.id)/complete", #"{"value":{"approvedBy":"ada"}}"#)
            #expect(completed.status == 200)
            #expect(completed.json["status"]?.string == "completed")
            let run = try await server.errand.waitForCompletion(RunID(id), pollInterval: .milliseconds(50))
            #expect(run.status == .completed)
            #expect(JSONValue(json: run.result ?? Data()) == .object(["approvedBy": .string("ada")]))

            let again = try await server.api.post("/api/v1/tokens/\(token.id)/complete", #"{"value":1}"#)
            #expect(again.status == 409)
            #expect(again.errorCode == "token_resolved")
            let unknown = try await server.api.post("/api/v1/tokens/tok_nope/complete", #"{"value":1}"#)
            #expect(unknown.status == 404)
            let missing = try await server.api.post("/api/v1/tokens/\(token.id)/complete", "")
            #expect(missing.status == 400)
        }
    }

    @Test("a completion body with a misspelt or missing value is 400 naming it, and the token stays pending")
    func badBodiesLeaveTheTokenPending() async throws {
        try await TestServer.run { server in
            let token = try await server.errand.createToken()
            let misspelt = try await server.api.post("/api/v1/tokens/\(token.id)/complete", #"{"valeu":{"approved":true}}"#)
            #expect(misspelt.status == 400)
            #expect(misspelt.errorField == "valeu", "\(misspelt.json)")
            let empty = try await server.api.post("/api/v1/tokens/\(token.id)/complete", "{}")
            #expect(empty.status == 400)
            #expect(empty.errorField == "value", "\(empty.json)")
            #expect(try await server.errand.token(token.id)?.status == .pending, "nothing was stored")
            let null = try await server.api.post("/api/v1/tokens/\(token.id)/complete", #"{"value":null}"#)
            #expect(null.status == 200, "an explicit null completes it")
        }
    }
}
