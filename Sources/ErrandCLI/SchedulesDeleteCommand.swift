import ArgumentParser
import Errand

/// `errand schedules delete`: deletes a schedule, keeping its runs.
struct SchedulesDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a schedule (its runs are kept).",
        discussion: "A declared schedule comes back when its app's scheduler next starts, unless its declaration is removed from the code."
    )

    @Argument(help: "The schedule's id or key.")
    var id: String

    @Flag(help: "Print the schedule as JSON after the call.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await SchedulesCommand.apply(id, json: json, database: database, action: "deleted") { errand, id in
            try await errand.deleteSchedule(id)
        }
    }
}
