import ArgumentParser
import Errand
import Foundation

/// `errand runs list`: runs matching filters, newest first, a page at a time.
struct RunsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List runs, newest first.",
        discussion: """
            Statuses: delayed, queued, executing, retrying, waiting, completed, failed, canceled, \
            timedOut, crashed, expired; the seeds' words work too (new, scheduled, submitted, \
            inProgress, complete, retried, cancelled). Repeat --status for several.
            """
    )

    @Option(help: "Only runs of this task.")
    var task: String?

    @Option(name: .customLong("status"), help: ArgumentHelp("Only runs in this status (repeatable).", valueName: "status"), transform: ArgumentValues.status)
    var statuses: [RunStatus] = []

    @Option(help: "Only runs with this tag.")
    var tag: String?

    @Option(help: ArgumentHelp("Only runs created at or after this ISO-8601 time.", valueName: "time"), transform: ArgumentValues.timestamp)
    var since: Date?

    @Option(help: ArgumentHelp("Only runs created before this ISO-8601 time.", valueName: "time"), transform: ArgumentValues.timestamp)
    var until: Date?

    @Option(help: ArgumentHelp("Only runs of this origin: kind or kind:reference (apiKey:ci-bot, cli:ada, event:evt_…, schedule, parent, replay, app).", valueName: "origin"), transform: { try RunOrigin(parsing: $0) })
    var origin: RunOrigin?

    @Option(help: "Only runs this published event caused.")
    var event: String?

    @Option(help: "Runs per page (1-1000).")
    var limit = 20

    @Option(help: "The cursor printed after the previous page.")
    var cursor: String?

    @Flag(help: "Print the page as JSON: {\"runs\": [...], \"nextCursor\": ...}.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...1000).contains(limit) else {
            throw ValidationError("invalid --limit \(limit): give a number of runs per page between 1 and 1000")
        }
        if let cursor, (try? RunQuery.sequence(fromCursor: cursor)) == nil {
            throw ValidationError("invalid --cursor \"\(cursor)\": give the cursor printed after the previous page")
        }
        if let since, let until, since >= until {
            throw ValidationError("--since (\(ISO8601Timestamp.string(from: since))) must be before --until (\(ISO8601Timestamp.string(from: until)))")
        }
    }

    func run() async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            let query = RunQuery(
                task: task, statuses: statuses.isEmpty ? nil : Set(statuses), tag: tag, createdFrom: since, createdTo: until,
                limit: limit, cursor: cursor, origin: origin, eventID: event
            )
            let page = try await errand.runs(query)
            print(json ? try RunFormatting.json(RunPageView(page)) : RunFormatting.table(page))
        }
    }
}
