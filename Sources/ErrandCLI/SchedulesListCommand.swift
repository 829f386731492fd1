import ArgumentParser
import Errand
import Foundation

/// `errand schedules list`: schedules by id with their next fire times.
struct SchedulesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List schedules with their next fire times.",
        discussion: """
            Shows each schedule's id, key, task, expression, time zone, whether it is paused, and \
            its next fire times in UTC (the first may be in the past when no scheduler has run \
            since; a paused schedule shows none).
            """
    )

    @Option(help: "Only schedules of this task.")
    var task: String?

    @Option(name: .customLong("external-id"), help: "Only schedules with this external id.")
    var externalID: String?

    @Option(help: "Schedules per page (1-1000).")
    var limit = 100

    @Option(help: "The cursor printed after the previous page (a schedule id).")
    var after: String?

    @Option(name: [.customShort("n"), .customLong("count")], help: "How many next fire times to show per schedule (0-100).")
    var count = 5

    @Flag(help: "Print the page as JSON: {\"schedules\": [...], \"nextCursor\": ...}.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...1000).contains(limit) else {
            throw ValidationError("invalid --limit \(limit): give a number of schedules per page between 1 and 1000")
        }
        guard (0...100).contains(count) else {
            throw ValidationError("invalid --count \(count): give a number of fire times between 0 and 100")
        }
    }

    func run() async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            let schedules = try await errand.schedules(ScheduleQuery(task: task, externalID: externalID, limit: limit, after: after))
            let cursor = schedules.count == limit ? schedules.last?.id : nil
            if json {
                print(try RunFormatting.json(ScheduleListView(schedules: schedules.map { ScheduleView($0, fireTimes: count) }, nextCursor: cursor)))
            } else {
                print(ScheduleView.table(schedules, fireTimes: count, cursor: cursor))
            }
        }
    }
}
