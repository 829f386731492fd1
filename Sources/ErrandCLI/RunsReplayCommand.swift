import ArgumentParser
import Errand
import Foundation

/// `errand runs replay`: triggers a new run of the same task, linked to the original.
struct RunsReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Trigger a new run of a run's task with its payload (or a new one); prints the new run's id."
    )

    @Argument(help: "The original run's id.", transform: ArgumentValues.runID)
    var id: RunID

    @Option(help: ArgumentHelp("A payload replacing the original's, as JSON.", valueName: "json"), transform: ArgumentValues.payload)
    var payload: Data?

    @Flag(help: "Print {\"id\": \"…\"} instead of the bare id.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            let newID = try await errand.replay(id, payload: payload)
            print(json ? try RunFormatting.json(["id": newID.rawValue], pretty: false) : newID.rawValue)
        }
    }
}
