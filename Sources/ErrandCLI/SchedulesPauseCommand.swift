import ArgumentParser
import Errand

/// `errand schedules pause`: pauses a schedule until it is resumed.
struct SchedulesPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a schedule: it fires nothing until resumed.",
        discussion: "A buffered occurrence is dropped. Pausing a paused schedule changes nothing."
    )

    @Argument(help: "The schedule's id or key.")
    var id: String

    @Flag(help: "Print the schedule as JSON after the call.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await SchedulesCommand.apply(id, json: json, database: database, action: "paused") { errand, id in
            try await errand.pauseSchedule(id)
        }
    }
}
