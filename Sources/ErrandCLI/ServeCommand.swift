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

    @Option(help: ArgumentHelp(
        "Labels the worker advertises, comma separated (gpu,large): it claims the runs of tasks requiring only these labels.",
        valueName: "labels"
    ))
    var labels: String?

    @Option(help: "The worker's slots: the cost of the runs it executes at once adds up to at most this (default 10; same as --workers).")
    var capacity: String?

    @OptionGroup var keys: KeysFileOption

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("invalid --port \(port): give 0 to 65535") }
        if let workers, !(1...1000).contains(workers) {
            throw ValidationError("invalid --workers \(workers): give 1 to 1000")
        }
        _ = try Self.labelSet(labels)
        if let slots = try Self.slots(capacity), let workers, workers != slots {
            throw ValidationError("--capacity \(slots) and --workers \(workers) disagree: both set the worker's slots; give one of them")
        }
    }

    /// The labels of `--labels`: non-empty names of 1 to 64 letters, digits, `-`, `_` or `.`.
    static func labelSet(_ text: String?) throws -> Set<String> {
        guard let text else { return [] }
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names {
            do {
                try WorkerLabels.validate(name, field: "labels")
            } catch {
                throw ValidationError(
                    "invalid --labels \"\(text)\": label \"\(name)\" is not allowed; give comma-separated labels of 1 to 64 letters, digits, -, _ or ."
                )
            }
        }
        return Set(names)
    }

    /// The slots of `--capacity`: a positive integer up to 1000.
    static func slots(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let slots = Int(text.trimmingCharacters(in: .whitespaces)), (1...1000).contains(slots) else {
            throw ValidationError("invalid --capacity \"\(text)\": give a positive integer of slots, 1 to 1000")
        }
        return slots
    }

    /// The worker's configuration from `--workers`, `--capacity` and `--labels`.
    func workerConfiguration() throws -> WorkerConfiguration {
        var worker = WorkerConfiguration()
        if let slots = try Self.slots(capacity) ?? workers { worker.concurrency = slots }
        worker.labels = try Self.labelSet(labels)
        return worker
    }

    func run() async throws {
        let logger = CLIEngine.logger(level: .warning)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        let keyStore = FileAPIKeyStore(path: keys.path(database: database.database))
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let worker = try workerConfiguration()
        let serverConfiguration = ServerConfiguration(
            host: host, port: port, keyStore: keyStore, metricsRegistry: registry, worker: worker, logger: logger,
            onRunning: { port in Console.line("Errand dashboard: http://\(shownHost):\(port)/") }
        )
        try await database.withStore { store in
            let errand = Errand(store: store, configuration: .init(logger: logger))
            let server = errand.httpServer(configuration: serverConfiguration)
            do {
                try await server.checkBinding()
            } catch {
                throw CLIError("\(error)")
            }
            let project = try await ServeProject.load(configPath: config, into: errand, logger: logger)
            let labelText = worker.labels.isEmpty ? "none" : worker.labels.sorted().joined(separator: ",")
            Console.error(
                "Errand: database \(DatabaseOptions.redacted(database.database)), \(project.description), API keys \(keyStore.path), worker labels \(labelText), capacity \(worker.concurrency)"
            )
            let group = ServiceGroup(
                // One process of those sharing the database leads: only it runs the scheduler and
                // maintenance (a leader that dies is replaced within the lease's 15 s).
                services: [try errand.leaderElection(), errand.worker(worker), errand.scheduler(), errand.maintenance(), server],
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
}
