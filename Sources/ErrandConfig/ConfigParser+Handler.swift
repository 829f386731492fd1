import Errand
import Foundation
import Yams

extension ConfigParser {
    /// The keys of `http:`.
    static let httpKeys = ["url", "method", "headers", "timeout"]

    /// The task's one handler, from `command:`, `shell:` or `http:`; `nil` (reported) when there
    /// is none, more than one, or a bad one.
    func parseHandler(_ fields: [String: (key: Node, value: Node)], taskKey: Node, path: String) -> ConfiguredHandler? {
        let given = fields.filter { Self.handlerKeys.contains($0.key) }.sorted { Self.position($0.value.key) < Self.position($1.value.key) }
        guard let first = given.first else {
            report(taskKey, path, "the task has no handler; give exactly one of command (an argument list), shell (a command line) or http (a URL)")
            return nil
        }
        for extra in given.dropFirst() {
            report(extra.value.key, Self.join(path, extra.key), "a task has exactly one handler, but both \(first.key) and \(extra.key) are given; keep one")
        }
        let processOnly = ["env", "workingDirectory", "limits"].filter { fields[$0] != nil }
        if first.key == "http" {
            for key in processOnly {
                report(fields[key]?.key, Self.join(path, key), "\(key) applies to command and shell tasks only, and this task's handler is http")
            }
        }
        guard given.count == 1 else { return nil }
        let handlerPath = Self.join(path, first.key)
        let node = first.value.value
        switch first.key {
        case "command":
            guard let arguments = commandArguments(node, handlerPath) else { return nil }
            return process(arguments, fields, path: path).map(ConfiguredHandler.command)
        case "shell":
            guard let line = nonEmptyString(node, handlerPath, what: "a command line such as \"echo hi | wc -c\"") else { return nil }
            return process(["/bin/sh", "-c", line], fields, path: path).map(ConfiguredHandler.shell)
        default:
            return endpoint(node, handlerPath).map(ConfiguredHandler.http)
        }
    }

    private static func position(_ node: Node) -> (Int, Int) {
        (node.mark?.line ?? 0, node.mark?.column ?? 0)
    }

    private func commandArguments(_ node: Node, _ path: String) -> [String]? {
        guard node.sequence != nil else {
            report(node, path, "expected an argument list such as [\"./bin/resize\", \"--fast\"], found \(Self.kind(of: node)); to run a command line through /bin/sh, use shell: instead")
            return nil
        }
        guard let arguments = stringList(node, path, what: "arguments") else { return nil }
        guard let program = arguments.first, !program.isEmpty else {
            report(node, path, "the argument list must start with the program to run, such as [\"./bin/resize\"]")
            return nil
        }
        var resolved = arguments
        if program.contains("/") && !program.hasPrefix("/") {
            resolved[0] = URL(fileURLWithPath: program, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true)).standardizedFileURL.path
        }
        return resolved
    }

    private func process(_ arguments: [String], _ fields: [String: (key: Node, value: Node)], path: String) -> CommandSpec? {
        var spec = CommandSpec(arguments: arguments, workingDirectory: baseDirectory)
        var ok = true
        if let node = fields["env"]?.value {
            let envPath = Self.join(path, "env")
            if let pairs = stringPairs(node, envPath) {
                for (name, value) in pairs {
                    if name.contains("=") || name.contains("\0") {
                        report(node, Self.join(envPath, name), "an environment variable's name must not contain \"=\"")
                        ok = false
                    }
                    spec.environment[name] = value
                }
            } else {
                ok = false
            }
        }
        if let node = fields["workingDirectory"]?.value {
            if let folder = nonEmptyString(node, Self.join(path, "workingDirectory"), what: "a folder") {
                spec.workingDirectory = URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true))
                    .standardizedFileURL.path
            } else {
                ok = false
            }
        }
        if let node = fields["limits"]?.value {
            if let limits = parseLimits(node, Self.join(path, "limits")) { spec.limits = limits } else { ok = false }
        }
        return ok ? spec : nil
    }

    private func endpoint(_ node: Node, _ path: String) -> HTTPEndpoint? {
        if case .scalar = node {
            return url(node, path).map { HTTPEndpoint(url: $0) }
        }
        guard let fields = fields(of: node, at: path, allowed: Self.httpKeys) else { return nil }
        guard let urlNode = fields["url"]?.value else {
            report(node, path, "the url is missing; give the endpoint as url: \"http://host:port/path\"")
            return nil
        }
        let before = problems.count
        var endpoint = HTTPEndpoint(url: url(urlNode, Self.join(path, "url")) ?? "")
        if let methodNode = fields["method"]?.value, let method = string(methodNode, Self.join(path, "method")) {
            if HTTPEndpoint.allowedMethods.contains(method.uppercased()) {
                endpoint.method = method.uppercased()
            } else {
                report(methodNode, Self.join(path, "method"), "\"\(method)\" is not an allowed method; use one of \(HTTPEndpoint.allowedMethods.joined(separator: ", "))")
            }
        }
        if let headersNode = fields["headers"]?.value, let pairs = stringPairs(headersNode, Self.join(path, "headers")) {
            endpoint.headers = pairs.map { HTTPEndpoint.Header(name: $0.0, value: $0.1) }
        }
        if let timeoutNode = fields["timeout"]?.value, let timeout = duration(timeoutNode, Self.join(path, "timeout")) {
            if timeout > .zero {
                endpoint.timeout = timeout
            } else {
                report(timeoutNode, Self.join(path, "timeout"), "must be positive")
            }
        }
        return problems.count == before ? endpoint : nil
    }

    private func url(_ node: Node, _ path: String) -> String? {
        guard let text = nonEmptyString(node, path, what: "a URL") else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else {
            report(node, path, "\"\(text)\" is not an http or https URL such as \"http://127.0.0.1:9000/report\"")
            return nil
        }
        return text
    }
}
