import Errand
import Foundation
import Yams

/// Reads the text of a project file into a ``ProjectConfig``, collecting every problem with its
/// position rather than stopping at the first.
///
/// One parser reads one file; it is not shared between tasks (it is not `Sendable`).
final class ConfigParser {
    /// The file's name in errors.
    let file: String
    /// The file's folder, absolute: where relative paths start.
    let baseDirectory: String
    /// The problems found so far, in the order found.
    private(set) var problems: [ConfigError] = []

    init(file: String) {
        self.file = file
        let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        self.baseDirectory = URL(fileURLWithPath: absolute).deletingLastPathComponent().standardizedFileURL.path
    }

    /// The keys allowed at the top of the file.
    static let rootKeys = ["tasks"]

    /// Parses the text, throwing a ``ConfigError`` listing every problem if there is one.
    func parse(_ yaml: String) throws -> ProjectConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error)
        }
        var tasks: [ConfiguredTask] = []
        if let root, let fields = fields(of: root, at: "", allowed: Self.rootKeys) {
            if let tasksNode = fields["tasks"]?.value {
                tasks = parseTasks(tasksNode)
            } else {
                report(root, "", "the file has no tasks: key; declare tasks under it (see Examples/errand.yml)")
            }
        } else if root == nil {
            report(nil, "", "the file is empty; declare tasks under a tasks: key (see Examples/errand.yml)")
        }
        if let first = problems.first {
            var error = first
            error.others = Array(problems.dropFirst())
            throw error
        }
        return ProjectConfig(path: file, tasks: tasks)
    }

    private func parseTasks(_ node: Node) -> [ConfiguredTask] {
        guard let mapping = node.mapping else {
            report(node, "tasks", "expected a mapping of task names to tasks, found \(Self.kind(of: node))")
            return []
        }
        if mapping.isEmpty { report(node, "tasks", "no task is declared; add at least one") }
        return mapping.compactMap { key, value in
            guard let name = scalarText(key) else {
                report(key, "tasks", "a task name must be text, found \(Self.kind(of: key))")
                return nil
            }
            return parseTask(named: name, key: key, value: value)
        }
    }

    // MARK: Reporting

    /// Records a problem at a node's position (the start of the file when there is no node).
    func report(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        problems.append(ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: path, message: message))
    }

    /// Records an ``ErrandError`` from the core's validation at a node.
    func report(_ error: any Error, at node: Node?, _ path: String) {
        let message = (error as? ErrandError)?.message ?? "\(error)"
        report(node, path, message)
    }

    private func syntaxError(_ error: YamlError) -> ConfigError {
        func make(_ mark: Mark?, _ text: String) -> ConfigError {
            ConfigError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: "", message: "YAML syntax error: \(text)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return make(mark, [context?.text, problem].compactMap { $0 }.joined(separator: ": "))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return make(context.mark, "the key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) appears more than once in a mapping")
        case .reader(let problem, _, _, _):
            return make(nil, problem)
        default:
            return make(nil, "\(error)")
        }
    }

    /// How a node is described in errors: `a mapping`, `a list`, `null` or the scalar in quotes.
    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar):
            node.tagName == .null && scalar.style == .plain ? "nothing (null)" : "\"\(scalar.string)\""
        }
    }
}
