import ArgumentParser

/// The `errand` command-line tool.
@main
struct ErrandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errand",
        abstract: "Errand: durable tasks for Swift server software.",
        subcommands: [
            ServeCommand.self,
            KeysCommand.self,
            DemoCommand.self,
            TriggerCommand.self,
            PublishCommand.self,
            RunsCommand.self,
            SchedulesCommand.self,
            MigrateCommand.self,
            CronCommand.self,
            BenchCommand.self,
            CrashWorkerCommand.self,
            BenchPhaseCommand.self,
        ]
    )
}
