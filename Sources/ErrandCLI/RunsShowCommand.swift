import ArgumentParser
import Errand

/// `errand runs show`: one run with every state field, its attempts, payload and result.
struct RunsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: its state fields, attempts, payload and result."
    )

    @Argument(help: "The run's id.", transform: ArgumentValues.runID)
    var id: RunID

    @Flag(help: "Print the run as JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            guard let record = try await errand.state(id) else { throw ErrandError.runNotFound(id) }
            print(json ? try RunFormatting.json(RunView(record, includeAttempts: true)) : RunFormatting.detail(record))
        }
    }
}
