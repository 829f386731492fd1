import ArgumentParser
import Errand
import Foundation

/// `errand runs logs ID`: a run's stored log lines.
struct RunsLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a run's log lines (what its handler logged, a command task's standard error).",
        discussion: "A run keeps at most \(RunLogLine.maximumPerRun) lines; a marker line says when later ones were dropped."
    )

    @Argument(help: "The run's id.", transform: ArgumentValues.runID)
    var id: RunID

    @Option(help: "Only lines at or above this level: trace, debug, info, notice, warning, error, critical.")
    var level: String?

    @Flag(help: "Print the lines as JSON lines.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    func validate() throws {
        if let level, !Self.levels.contains(level) {
            throw ValidationError("invalid --level \"\(level)\": allowed \(Self.levels.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await database.withStore(create: false) { store in
            let errand = CLIEngine.remote(store: store)
            guard try await errand.state(id) != nil else { throw ErrandError.runNotFound(id) }
            let minimum = level.flatMap { Self.levels.firstIndex(of: $0) } ?? 0
            var after = 0
            while true {
                let lines = try await errand.logs(of: id, after: after)
                for line in lines where (Self.levels.firstIndex(of: line.level) ?? 0) >= minimum {
                    if json {
                        print(try RunFormatting.json(line, pretty: false))
                    } else {
                        let metadata = line.metadata.isEmpty ? "" : " " + line.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                        print("\(RunFormatting.timestamp(line.at)) #\(line.attempt) \(line.level.uppercased()) \(line.message)\(metadata)")
                    }
                }
                guard let last = lines.last, lines.count == 1000 else { break }
                after = last.index
            }
        }
    }
}
