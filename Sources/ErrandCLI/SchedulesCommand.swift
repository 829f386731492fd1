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

    /// Finds a schedule by id or key, applies `action` to it, and prints the result.
    static func apply(
        _ id: String, json: Bool, database: DatabaseOptions, action: String,
        _ body: (Errand, String) async throws -> Schedule
    ) async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            let found = try await find(id, in: errand)
            let schedule = try await body(errand, found.id)
            if json {
                print(try RunFormatting.json(ScheduleView(schedule, fireTimes: 5)))
            } else {
                print(ScheduleView.summary(schedule, action: action))
            }
        }
    }
}
