import Foundation
import HTTPTypes
import Hummingbird

/// Finds who made a request (bearer key or session cookie) and decides what they may do.
struct Authenticator: Sendable {
    /// The session cookie's name.
    static let cookieName = "errand_session"
    /// The header cookie-authenticated changes must carry.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let keyStore: any APIKeyStore
    let sessions: SessionStore

    /// The caller, or `nil` when the request carries no credentials. Throws 401 for a wrong key or
    /// an ended session.
    func principal(for request: Request) async throws -> Principal? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError.unauthenticated("the Authorization header must be \"Bearer <API key>\"")
            }
            guard let key = try await keyStore.authenticate(secret: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
                throw APIError.unauthenticated("the API key is not valid (unknown or revoked)")
            }
            return Principal(keyName: key.name, scope: key.scope, method: .bearer)
        }
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty else { return nil }
        guard let session = await sessions.session(id: id), try await keyStore.key(named: session.keyName) != nil else {
            throw APIError.unauthenticated("the session has ended (expired, logged out or its key was revoked): log in again")
        }
        return Principal(keyName: session.keyName, scope: session.scope, method: .session(id: id))
    }

    /// Checks that `principal` may make `request`: a write needs a write key, and a
    /// cookie-authenticated write needs the session's CSRF token in `X-CSRF-Token`.
    func authorize(_ request: Request, as principal: Principal) async throws {
        guard ![.get, .head, .options].contains(request.method) else { return }
        guard principal.scope.allowsWrites else {
            throw APIError.forbidden("insufficient_scope", "the key \"\(principal.keyName)\" has scope read: \(request.method.rawValue) needs a write key")
        }
        if case .session(let id) = principal.method {
            let expected = await sessions.session(id: id)?.csrfToken ?? ""
            let given = request.headers[Self.csrfHeader] ?? ""
            guard !expected.isEmpty, APIKey.constantTimeEqual(Array(given.utf8), Array(expected.utf8)) else {
                throw APIError.forbidden(
                    "csrf_token_invalid", "a change made with the session cookie needs the header X-CSRF-Token with the session's csrfToken (GET /api/v1/session)"
                )
            }
        }
    }
}
