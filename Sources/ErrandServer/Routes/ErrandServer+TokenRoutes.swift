import Errand
import Foundation
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/tokens/{id}` and `POST /api/v1/tokens/{id}/complete` (body `{"value": any}`):
    /// wait tokens, the human in the loop of durable runs. Completing resumes the waiting run;
    /// an unknown token is 404, one already completed or timed out 409, a body without `value` or
    /// with another field 400 (before the token is touched).
    func addTokenRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/tokens/{id}") { _, context in
            let id = try context.pathParameter("id")
            guard let token = try await errand.token(id) else {
                throw APIError(status: .notFound, code: ErrandError.Code.tokenNotFound.rawValue, message: "no wait token has the id \"\(id)\"", field: "id")
            }
            return try JSONResponse.make(TokenView(token))
        }
        router.post("/api/v1/tokens/{id}/complete") { request, context in
            let id = try context.pathParameter("id")
            let body = try await request.requiredJSONObject(limit: configuration.limits.maxBodySize, expected: "{\"value\": any JSON}")
            // Checked before anything is stored: a completed token cannot be completed again.
            try body.checkKeys(["value"])
            guard body.members["value"] != nil else {
                throw APIError.invalid("value", "missing field \"value\": send {\"value\": any JSON} (null completes the token with null)")
            }
            let value = try body.json("value") ?? Data("null".utf8)
            return try JSONResponse.make(TokenView(try await errand.completeToken(id, value: value)))
        }
    }
}
