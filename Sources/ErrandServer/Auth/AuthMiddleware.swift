import Hummingbird

/// Guards `/api/*` (except `/api/v1/session`) once any API key exists: the caller needs a bearer
/// key or a session cookie (401 otherwise), a write needs a write key, and a cookie-authenticated
/// write needs the CSRF header (403 otherwise). With no key, everything is open.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isGuarded(request.uri.path), try await authenticator.keyStore.hasKeys() else {
            return try await next(request, context)
        }
        guard let principal = try await authenticator.principal(for: request) else {
            throw APIError.unauthenticated("an API key is required: send Authorization: Bearer <key>, or log in on the dashboard")
        }
        try await authenticator.authorize(request, as: principal)
        var context = context
        context.principal = principal
        return try await next(request, context)
    }

    /// Whether a path is under `/api` (other than `/api/v1/session`) as the router sees it: by its
    /// non-empty segments, so `//api/…` or `/api//v1/…`, which the router matches like `/api/…`,
    /// are guarded too.
    static func isGuarded(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return segments.first == "api" && !segments.elementsEqual(["api", "v1", "session"])
    }
}
