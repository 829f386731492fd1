import Errand
import Hummingbird

extension ErrandServer {
    /// `GET /api/v1/session` (always open), `POST /login`, `POST /logout`.
    func addSessionRoutes(to router: Router<ServerContext>) {
        router.get("/api/v1/session") { request, _ in
            let required = try await configuration.keyStore.hasKeys()
            guard required, let principal = try? await authenticator.principal(for: request) else {
                return try JSONResponse.make(SessionView(authRequired: required, authenticated: false))
            }
            var csrfToken: String?
            if case .session(let id) = principal.method { csrfToken = await sessions.session(id: id)?.csrfToken }
            return try JSONResponse.make(SessionView(
                authRequired: true, authenticated: true, scope: principal.scope.rawValue, csrfToken: csrfToken
            ))
        }

        router.post("/login") { request, _ in
            let body = try await request.requiredJSONObject(limit: 64 * 1024, expected: #"{"key":"<API key>"}"#)
            try body.checkKeys(["key"])
            guard let key = try await configuration.keyStore.authenticate(secret: try body.requiredString("key")) else {
                throw APIError.unauthenticated("the API key is not valid (unknown or revoked)")
            }
            let (id, session) = await sessions.create(for: key)
            let maxAge = Int(configuration.sessionLifetime.seconds)
            return try JSONResponse.make(
                LoginView(csrfToken: session.csrfToken, scope: key.scope.rawValue),
                headers: [.setCookie: "\(Authenticator.cookieName)=\(id); HttpOnly; SameSite=Strict; Path=/; Max-Age=\(maxAge)"]
            )
        }

        router.post("/logout") { request, _ in
            if let id = request.cookies[Authenticator.cookieName]?.value { await sessions.remove(id: id) }
            return Response(
                status: .noContent,
                headers: [.setCookie: "\(Authenticator.cookieName)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"]
            )
        }
    }
}
