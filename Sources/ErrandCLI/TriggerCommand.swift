import ArgumentParser
import Errand
import Foundation

/// `errand trigger`: creates a run of a task in the database; a worker of the app that defines the
/// task executes it.
struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Trigger a run of a task.",
        discussion: """
            The run is stored in the database and executed by a worker that has the task registered \
            (an app using Errand, or `errand demo` for the example tasks). Prints the new run's id.

            --after takes every Ampt form: a delay in milliseconds ("1500"), an epoch timestamp in \
            milliseconds, an ISO-8601 time ("2026-03-14T10:07:00Z") or "N unit" ("10 minutes", \
            "1 day"), at most a year ahead.

            Example: errand trigger resize-image --payload '{"url": "https://example.com/cat.jpg", "width": 256}' --after "5 seconds"
            """
    )

    @Argument(help: "The task's name.")
    var task: String

    @Option(help: ArgumentHelp("The payload as JSON (default {}).", valueName: "json"), transform: ArgumentValues.payload)
    var payload: Data = Data("{}".utf8)

    @Option(help: ArgumentHelp("When the run starts: \"10 minutes\", 1500 (ms), or an ISO-8601 time.", valueName: "delay-or-time"), transform: ArgumentValues.after)
    var after: TriggerDelay?

    @Option(help: "The run's priority (higher runs first).")
    var priority: Int?

    @Option(name: .customLong("tag"), help: "A tag for the run (repeat for several, at most 10).")
    var tags: [String] = []

    @Option(help: "Trigger at most once per key (for 24 hours): a repeat returns the first run's id.")
    var idempotencyKey: String?

    @Option(help: "Apply the queue's concurrency limit per this key (per tenant, per user, …).")
    var concurrencyKey: String?

    @Option(help: "The queue to put the run in (default: the task's name; give it when the task declares another queue).")
    var queue: String?

    @Option(help: ArgumentHelp("Expire the run if it has not started within this time: 30s, 10m, 2h, 1d.", valueName: "duration"), transform: ArgumentValues.duration)
    var ttl: Duration?

    @Flag(help: "Print {\"id\": \"…\"} instead of the bare id.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        let options = TriggerOptions(tags: tags, idempotencyKey: idempotencyKey, concurrencyKey: concurrencyKey, queue: queue)
        let optionNames = ["tags": "--tag", "idempotencyKey": "--idempotency-key", "concurrencyKey": "--concurrency-key", "queue": "--queue"]
        do {
            try TaskName.validate(task, field: "task")
            try options.validate()
        } catch let error as ErrandError {
            let name = error.field.flatMap { optionNames[$0] } ?? error.field ?? "value"
            throw ValidationError("\(name): \(error.message)")
        }
    }

    func run() async throws {
        try await database.withStore { store in
            let errand = CLIEngine.remote(store: store)
            let options = TriggerOptions(
                after: after, priority: priority, tags: tags, idempotencyKey: idempotencyKey, ttl: ttl, concurrencyKey: concurrencyKey,
                queue: queue, origin: CLIEngine.origin
            )
            let id = try await errand.trigger(TriggerRequest(task: task, payload: payload, options: options))
            if json {
                print(try RunFormatting.json(["id": id.rawValue], pretty: false))
            } else {
                print(id.rawValue)
            }
        }
    }
}
