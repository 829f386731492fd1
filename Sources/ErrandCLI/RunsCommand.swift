import ArgumentParser

/// `errand runs`: list, inspect, cancel and replay runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, inspect, cancel and replay runs.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self, RunsCancelCommand.self, RunsReplayCommand.self, RunsLogsCommand.self],
        defaultSubcommand: RunsListCommand.self
    )
}
