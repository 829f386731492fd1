import ArgumentParser
import Errand

/// `errand runs cancel`: cancels a run that has not finished.
struct RunsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run.",
        discussion: """
            A delayed, queued, retrying or waiting run is canceled at once. An executing run is \
            asked to stop: its worker cancels the handler at its next heartbeat and records the run \
            as canceled. A finished run is left as it is.
            """
    )

    @Argument(help: "The run's id.", transform: ArgumentValues.runID)
    var id: RunID

    @Flag(help: "Print the run as JSON after the call.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            guard let before = try await errand.state(id) else { throw ErrandError.runNotFound(id) }
            let record = try await errand.cancel(id)
            if json {
                print(try RunFormatting.json(RunView(record, includeAttempts: true)))
            } else if before.status.isFinal {
                print("\(id) had already finished as \(before.status.rawValue); nothing to cancel")
            } else if record.status == .canceled {
                print("\(id) canceled")
            } else {
                print("\(id) is \(record.status.rawValue): cancel requested; its worker stops it at the next heartbeat")
            }
        }
    }
}
