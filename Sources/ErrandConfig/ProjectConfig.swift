import Foundation

/// A project file (`errand.yml`): the tasks it declares, whose handlers are commands or HTTP
/// endpoints rather than Swift code.
///
/// ```swift
/// let project = try ProjectConfig.load(path: "errand.yml")
/// let runner = ProjectRunner()
/// try errand.register(project, runner: runner)
/// // … run workers and a scheduler …
/// try await runner.shutdown()
/// ```
///
/// The file format is described in `Examples/README.md`.
public struct ProjectConfig: Sendable, Hashable {
    /// The file the project was read from, as given.
    public var path: String
    /// The tasks, in file order.
    public var tasks: [ConfiguredTask]

    /// Creates a project from tasks (the file's tasks usually come from ``load(path:)``).
    public init(path: String, tasks: [ConfiguredTask]) {
        self.path = path
        self.tasks = tasks
    }

    /// Reads and checks a project file.
    ///
    /// - Throws: ``ConfigError`` for every problem in the file, or for a file that cannot be read.
    public static func load(path: String) throws -> ProjectConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedDescription
            throw ConfigError(file: path, line: 0, column: 0, keyPath: "", message: "cannot read the project file: \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: 0, column: 0, keyPath: "", message: "the project file is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Checks the text of a project file. `path` names the file in errors, and its folder is
    /// where relative working directories and command paths start.
    ///
    /// - Throws: ``ConfigError`` for every problem in the text.
    public static func parse(_ yaml: String, path: String) throws -> ProjectConfig {
        try ConfigParser(file: path).parse(yaml)
    }

    /// The task with a name, if the project has one.
    public func task(named name: String) -> ConfiguredTask? {
        tasks.first { $0.name == name }
    }
}
