import ArgumentParser
import Errand

/// `errand schedules resume`: resumes a paused schedule from now.
struct SchedulesResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused schedule from now.",
        discussion: "Its next fire time becomes the first occurrence after now: occurrences that came while it was paused do not run. Resuming an active schedule changes nothing."
    )

    @Argument(help: "The schedule's id or key.")
    var id: String

    @Flag(help: "Print the schedule as JSON after the call.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await SchedulesCommand.apply(id, json: json, database: database, action: "resumed") { errand, id in
            try await errand.resumeSchedule(id)
        }
    }
}
