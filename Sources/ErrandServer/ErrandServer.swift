import Errand
import Hummingbird
import Logging
import ServiceLifecycle

/// The HTTP API, the server-sent event streams, the dashboard, `/metrics`, `/healthz` and
/// `/openapi.json` of one ``Errand`` engine, as a swift-service-lifecycle `Service`.
///
/// Run it next to the engine's worker, scheduler and maintenance services:
///
/// ```swift
/// let errand = Errand(store: try SQLiteRunStore(path: ".errand/errand.sqlite"))
/// try errand.register(resize)
/// let server = errand.httpServer(configuration: ServerConfiguration(port: 8080))
/// let group = ServiceGroup(
///     services: [errand.worker(), errand.scheduler(), errand.maintenance(), server],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
/// )
/// try await group.run()
/// ```
///
/// For the engine's counters and histograms to appear on `/metrics`, bootstrap swift-metrics
/// with swift-prometheus's factory on the same registry before creating the engine:
/// `MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: configuration.metricsRegistry))`.
public struct ErrandServer: Service {
    /// The engine served.
    public let errand: Errand
    /// How the server listens and authenticates.
    public let configuration: ServerConfiguration
    let sessions: SessionStore
    let streams = StreamCounter()
    let metrics: MetricsExporter

    /// Creates a server for an engine.
    public init(errand: Errand, configuration: ServerConfiguration = ServerConfiguration()) {
        self.errand = errand
        self.configuration = configuration
        self.sessions = SessionStore(lifetime: configuration.sessionLifetime)
        self.metrics = MetricsExporter(registry: configuration.metricsRegistry)
    }

    var authenticator: Authenticator { Authenticator(keyStore: configuration.keyStore, sessions: sessions) }

    /// The router with every route (and its error and authentication middleware).
    public func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: AuthMiddleware(authenticator: authenticator))
        addTaskRoutes(to: router)
        addRunRoutes(to: router)
        addLogRoutes(to: router)
        addEventRoutes(to: router)
        addBulkRoutes(to: router)
        addScheduleRoutes(to: router)
        addQueueRoutes(to: router)
        addTokenRoutes(to: router)
        addStreamRoutes(to: router)
        addSessionRoutes(to: router)
        addSystemRoutes(to: router)
        addDashboardRoutes(to: router)
        return router
    }

    /// The Hummingbird application: the router on ``ServerConfiguration/host`` and
    /// ``ServerConfiguration/port``, calling ``ServerConfiguration/onRunning`` once it listens.
    public func makeApplication() -> some ApplicationProtocol {
        let onRunning = configuration.onRunning
        return Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "errand"
            ),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: configuration.logger
        )
    }

    /// Checks the configuration (a non-loopback host needs an API key), then serves until
    /// graceful shutdown or cancellation. Open event streams end when the server stops.
    public func run() async throws {
        try await checkBinding()
        try await makeApplication().run()
    }

    /// Throws ``ServerStartError`` when the host is not loopback and no API key exists.
    public func checkBinding() async throws {
        if !configuration.bindsLoopback, try await !configuration.keyStore.hasKeys() {
            throw ServerStartError.openNetworkBinding(host: configuration.host)
        }
    }
}
