import Errand
import Foundation
import Logging
import ErrandConfig

/// Where `errand serve` gets its tasks: the project file (`errand.yml`, through ErrandConfig).
/// The only file that knows how a project is loaded.
struct ServeProject {
    /// What to print about the tasks' origin.
    var description: String
    /// Stops what the project started (command runners, HTTP clients).
    var shutdown: @Sendable () async throws -> Void

    /// The project file used without `--config`: `./errand.yml` if present, else the example
    /// project shipped in the repository.
    static func defaultConfigPath() -> String {
        FileManager.default.fileExists(atPath: "errand.yml") ? "errand.yml" : "Examples/errand.yml"
    }

    /// Loads the project file and registers its tasks and schedules on `errand`.
    static func load(configPath: String?, into errand: Errand, logger: Logger) async throws -> ServeProject {
        let path = configPath ?? defaultConfigPath()
        let project: ProjectConfig
        do {
            project = try ProjectConfig.load(path: path)
        } catch {
            throw CLIError("\(error)")
        }
        let runner = ProjectRunner(logger: logger)
        try errand.register(project, runner: runner)
        return ServeProject(description: "tasks from \(path)", shutdown: { try await runner.shutdown() })
    }
}
