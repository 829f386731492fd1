import ArgumentParser
import Errand
import ErrandServer
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// `errand serve`: the HTTP API, the dashboard, workers, the scheduler and maintenance in one
/// process, until SIGINT or SIGTERM (graceful: claimed runs finish or are released).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and the dashboard, and run the project's tasks.",
        discussion: """
            Tasks come from --config (default ./errand.yml, else Examples/errand.yml). Prints \
            "Errand dashboard: http://HOST:PORT/" once listening (--port 0 picks a free port). \
            Listening on a non-loopback address needs an API key (errand keys create).
            """
    )

    @Option(help: ArgumentHelp("The project file (default ./errand.yml, else Examples/errand.yml).", valueName: "path"))
    var config: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free port).")
    var port = 8080

    @Option(help: "How many attempts execute at once (default: the worker's default, 10).")
    var workers: Int?

    @OptionGroup var keys: KeysFileOption

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("invalid --port \(port): give 0 to 65535") }
        if let workers, !(1...1000).contains(workers) {
            throw ValidationError("invalid --workers \(workers): give 1 to 1000")
        }
    }

    func run() async throws {
        let logger = CLIEngine.logger(level: .warning)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let keyStore = FileAPIKeyStore(path: keys.path(database: database.database))
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let serverConfiguration = ServerConfiguration(
            host: host, port: port, keyStore: keyStore, metricsRegistry: registry, logger: logger,
            onRunning: { port in Console.line("Errand dashboard: http://\(shownHost):\(port)/") }
        )
        let store = try database.openStore()
        let errand = Errand(store: store, configuration: .init(logger: logger))
        let server = errand.httpServer(configuration: serverConfiguration)
        do {
            try await server.checkBinding()
        } catch {
            throw CLIError("\(error)")
        }
        let project = try await ServeProject.load(configPath: config, into: errand, logger: logger)
        Console.error("Errand: database \(database.database), \(project.description), API keys \(keyStore.path)")

        var worker = WorkerConfiguration()
        if let workers { worker.concurrency = workers }
        let group = ServiceGroup(
            services: [errand.worker(worker), errand.scheduler(), errand.maintenance(), server],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        do {
            try await group.run()
        } catch {
            try? await project.shutdown()
            throw CLIError("the server stopped with an error: \(error)")
        }
        try await project.shutdown()
    }
}
