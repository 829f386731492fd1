import ArgumentParser
import Errand

/// `errand schedules`: list schedules with their next fire times; pause, resume and delete them.
struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "List, pause, resume and delete schedules.",
        subcommands: [SchedulesListCommand.self, SchedulesPauseCommand.self, SchedulesResumeCommand.self, SchedulesDeleteCommand.self],
        defaultSubcommand: SchedulesListCommand.self
    )

    /// The schedule a command names by id or, failing that, by key.
    static func find(_ idOrKey: String, in errand: Errand) async throws -> Schedule {
        if let schedule = try await errand.schedule(id: idOrKey) { return schedule }
        if let schedule = try await errand.schedule(key: idOrKey) { return schedule }
        throw ErrandError(
            code: .scheduleNotFound,
            message: "no schedule with id or key \"\(idOrKey)\"; `errand schedules list` shows them",
            field: "id"
        )
    }
}
