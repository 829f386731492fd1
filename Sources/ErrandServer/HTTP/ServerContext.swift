import Hummingbird

/// The request context of the Errand server: Hummingbird's core storage plus who is calling.
public struct ServerContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Who is calling, set by the authentication middleware; `nil` while no API key exists
    /// (everything is open) or on open routes.
    public var principal: Principal?

    /// Creates a context for a request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }
}
