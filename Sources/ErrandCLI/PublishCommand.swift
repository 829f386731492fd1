import ArgumentParser
import Errand
import Foundation

/// `errand publish NAME --payload JSON`: publishes an event; every task subscribed to a matching
/// pattern gets a run.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish an event: one run per subscribed task.",
        discussion: """
            Tasks subscribe to event name patterns (user.created, user.*, user.**, created:user:*) in \
            Swift (errand.subscribe) or in errand.yml (on:). The subscriptions are stored in the \
            database, so this command creates the runs without knowing the tasks. Publishing again \
            with the same --id creates nothing and prints the first publication.

            Example: errand publish created:user:42 --payload '{"name": "Ada"}' --id signup-42
            """
    )

    @Argument(help: "The event's name: segments separated by . or : (user.created, created:user:42).")
    var name: String

    @Option(help: ArgumentHelp("The payload as JSON (default {}).", valueName: "json"), transform: ArgumentValues.payload)
    var payload: Data = Data("{}".utf8)

    @Option(help: "The event's id, for idempotency (default: a new id).")
    var id: String?

    @Option(help: ArgumentHelp("Delay every run: \"10 minutes\", 1500 (ms), or an ISO-8601 time.", valueName: "delay-or-time"), transform: ArgumentValues.after)
    var after: TriggerDelay?

    @Flag(help: "Print the event as JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        do {
            try EventName.validate(name)
        } catch let error as ErrandError {
            throw ValidationError("NAME: \(error.message)")
        }
    }

    func run() async throws {
        try await database.withStore { store in
            let errand = CLIEngine.remote(store: store)
            let event = try await errand.publish(event: name, payload: payload, id: id, after: after, origin: CLIEngine.origin)
            if json {
                print(try RunFormatting.json(EventView(event), pretty: true))
            } else {
                print("event \(event.id) (\(event.name)): \(event.runIDs.count) run(s)")
                for id in event.runIDs { print("  \(id.rawValue)") }
            }
        }
    }
}
