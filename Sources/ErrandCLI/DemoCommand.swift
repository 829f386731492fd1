import ArgumentParser
import Errand
import ErrandSQLite
import Foundation
import ServiceLifecycle

/// `errand demo`: registers the example tasks, triggers a few runs and executes them on workers,
/// printing every run event.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the example tasks on local workers and print every run event.",
        discussion: """
            Registers resize-image (progress), flaky-report (fails once, then retries with backoff), \
            sync-account (a queue limited to 2 at once) and send-welcome-email (triggered to start \
            5 seconds later), triggers --runs runs of them, and runs --workers workers and the \
            maintenance service until Ctrl-C (graceful shutdown) or, with --exit-when-done, until \
            every run it triggered has finished. Runs of these tasks triggered from another \
            terminal with `errand trigger` are picked up too.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "How many workers to run (each executes up to 4 attempts at once).")
    var workers = 1

    @Option(help: "How many example runs to trigger at start (0 for none).")
    var runs = 8

    @Flag(help: "Exit (status 0) once every run triggered at start has finished.")
    var exitWhenDone = false

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("invalid --workers \(workers): give 1 to 64 workers") }
        guard (0...10_000).contains(runs) else { throw ValidationError("invalid --runs \(runs): give 0 to 10000 runs") }
    }

    func run() async throws {
        try await database.withStore { store in
            let logger = CLIEngine.logger(level: .warning)
            let errand = Errand(store: store, configuration: .init(logger: logger))
            try ExampleTasks.register(on: errand)
            let events = errand.events()

            printIntroduction()
            let ids = try await ExampleTasks.triggerSamples(runs, on: errand)

            let services: [any Service] = [errand.maintenance()] + (0..<workers).map { index in
                errand.worker(WorkerConfiguration(
                    id: "demo-\(ProcessInfo.processInfo.processIdentifier)-\(index + 1)", queues: ExampleTasks.queues, concurrency: 4,
                    shutdownGracePeriod: .seconds(10)
                ))
            }
            let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)

            let printer = Task {
                for await event in events { Console.line(RunFormatting.eventLine(event)) }
            }
            let watcher: Task<Void, Never>? = exitWhenDone ? Task {
                do {
                    for id in ids { _ = try await errand.waitForCompletion(id) }
                    Console.line("All \(ids.count) run(s) finished; shutting down.")
                } catch is CancellationError {
                    return
                } catch {
                    Console.error("error: waiting for the runs failed: \(error)")
                }
                await group.triggerGracefulShutdown()
            } : nil

            do {
                try await group.run()
            } catch {
                watcher?.cancel()
                printer.cancel()
                throw CLIError("the workers stopped with an error: \(error)")
            }
            watcher?.cancel()
            printer.cancel()
            await printer.value  // prints the events already published
        }
    }

    private func printIntroduction() {
        let database = self.database.database
        Console.line("""
            Errand demo: database \(database) (durability \(self.database.durability.rawValue))
            Tasks: \(ExampleTasks.samplePayloads.map(\.task).joined(separator: ", "))
            Triggering \(runs) run(s); \(workers) worker(s) running. Ctrl-C stops gracefully.

            From another terminal:
              errand runs list --database \(database)
              errand runs show <run-id> --database \(database)
              errand trigger \(ExampleTasks.samplePayloads[0].task) --payload '\(ExampleTasks.samplePayloads[0].payload)' --database \(database)
              errand trigger \(ExampleTasks.samplePayloads[3].task) --payload '\(ExampleTasks.samplePayloads[3].payload)' --after "10 seconds" --database \(database)
            (inside the package: swift run errand …)

            """)
    }
}
