import Errand
import Foundation
import Logging
import Prometheus

/// How an ``ErrandServer`` listens, authenticates and limits requests.
///
/// ```swift
/// var configuration = ServerConfiguration(host: "127.0.0.1", port: 8080)
/// configuration.keyStore = try FileAPIKeyStore(path: ".errand/keys.json")
/// let server = errand.httpServer(configuration: configuration)
/// ```
public struct ServerConfiguration: Sendable {
    /// The address to bind (default `127.0.0.1`). A non-loopback address needs at least one API key.
    public var host: String
    /// The port (default 8080; 0 picks a free port, reported to ``onRunning``).
    public var port: Int
    /// Where API keys are kept. With no key in it every route is open (and only loopback is allowed).
    public var keyStore: any APIKeyStore
    /// Size limits.
    public var limits: Limits
    /// How long a dashboard login lasts (default 12 hours).
    public var sessionLifetime: Duration
    /// How often server-sent event streams send a `: keep-alive` comment (default 15 s).
    public var keepAliveInterval: Duration
    /// How often a run's event stream re-reads the run, for runs executed by other processes
    /// (default 1 s; changes made in this process are sent at once).
    public var streamPollInterval: Duration
    /// The registry `/metrics` prints. Give the one the process's `MetricsSystem` factory writes to
    /// so the engine's counters and histograms appear (see ``ErrandServer``).
    public var metricsRegistry: PrometheusCollectorRegistry
    /// The worker that runs next to the server in this process, if any: `/healthz` shows its
    /// labels and capacity (`errand serve --labels gpu,large --capacity 8`).
    public var worker: WorkerConfiguration?
    /// The server's logger.
    public var logger: Logger
    /// Called once the server listens, with the port it got.
    public var onRunning: @Sendable (_ port: Int) async -> Void

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, keyStore: any APIKeyStore = MemoryAPIKeyStore(),
        limits: Limits = Limits(), sessionLifetime: Duration = .seconds(12 * 3600), keepAliveInterval: Duration = .seconds(15),
        streamPollInterval: Duration = .seconds(1), metricsRegistry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        worker: WorkerConfiguration? = nil, logger: Logger = Logger(label: "errand.server"), onRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.keyStore = keyStore
        self.limits = limits
        self.sessionLifetime = sessionLifetime
        self.keepAliveInterval = keepAliveInterval
        self.streamPollInterval = streamPollInterval
        self.metricsRegistry = metricsRegistry
        self.worker = worker
        self.logger = logger
        self.onRunning = onRunning
    }

    /// Request size limits.
    public struct Limits: Sendable {
        /// The largest request body (default 1 MiB, room for a batch trigger). Larger bodies get 413.
        /// One run's payload is limited to 256 KB by the engine.
        public var maxBodySize: Int
        /// The most items in one batch trigger (default 1000).
        public var maxBatchSize: Int

        /// Creates limits.
        public init(maxBodySize: Int = 1 << 20, maxBatchSize: Int = 1000) {
            self.maxBodySize = maxBodySize
            self.maxBatchSize = maxBatchSize
        }
    }

    /// Whether ``host`` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    public var bindsLoopback: Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
