import Errand
import Foundation
import Yams

extension ConfigParser {
    /// The keys of a task.
    static let taskKeys = [
        "command", "shell", "http", "env", "workingDirectory", "timeout", "maxDuration", "retry", "queue", "priority",
        "tags", "ttl", "description", "schedule", "payload", "on", "schema", "labels", "cost", "limits",
    ]
    /// The file's key for each option whose field name in the core's errors differs.
    static let optionKeys = ["requiredLabels": "labels"]
    /// The keys of `retry:`.
    static let retryKeys = ["maxAttempts", "minDelay", "maxDelay", "factor", "jitter"]
    /// The keys of `queue:`.
    static let queueKeys = ["name", "concurrency"]
    /// The handler keys, of which a task has exactly one.
    static let handlerKeys = ["command", "shell", "http"]

    /// One task; `nil` when it has problems (they are reported).
    func parseTask(named name: String, key: Node, value: Node) -> ConfiguredTask? {
        let path = Self.join("tasks", name)
        let before = problems.count
        do {
            try TaskName.validate(name, field: "name")
        } catch {
            report(error, at: key, path)
        }
        guard let fields = fields(of: value, at: path, allowed: Self.taskKeys) else { return nil }
        /// The node each option came from, by the field names the core's validation uses.
        var nodes: [String: Node] = [:]
        var options = TaskOptions()
        func read<T>(_ key: String, _ parse: (Node, String) -> T?) -> T? {
            guard let node = fields[key]?.value else { return nil }
            nodes[Self.optionKeys.first { $0.value == key }?.key ?? key] = node
            return parse(node, Self.join(path, key))
        }
        if let timeout = read("timeout", duration) { options.timeout = timeout }
        options.maxDuration = read("maxDuration", duration)
        options.ttl = read("ttl", duration)
        if let priority = read("priority", integer) { options.priority = priority }
        if let tags = read("tags", { stringList($0, $1, what: "tags") }) { options.tags = tags }
        if let labels = read("labels", { stringList($0, $1, what: "worker labels") }) {
            options.requiredLabels = Set(labels)
        }
        if let cost = read("cost", integer) { options.cost = cost }
        if let node = fields["retry"]?.value { options.retry = parseRetry(node, Self.join(path, "retry"), nodes: &nodes) }
        if let node = fields["queue"]?.value { options.queue = parseQueue(node, Self.join(path, "queue"), nodes: &nodes) }
        let description = read("description") { string($0, $1) }
        let handler = parseHandler(fields, taskKey: key, path: path)
        let schedule = parseSchedule(fields, task: name, path: path)
        let subscriptions = fields["on"].map { parseSubscriptions($0.value, Self.join(path, "on")) } ?? []
        let schema = fields["schema"].flatMap { parseSchema($0.value, Self.join(path, "schema")) }
        do {
            try options.validate()
        } catch let error as ErrandError {
            let field = error.field ?? ""
            let node = nodes[field] ?? nodes[String(field.prefix { $0 != "." })] ?? key
            report(error, at: node, Self.join(path, Self.optionKeys[field] ?? field))
        } catch {
            report(error, at: key, path)
        }
        guard problems.count == before, let handler else { return nil }
        return ConfiguredTask(
            name: name, options: options, handler: handler, schedule: schedule, subscriptions: subscriptions, schema: schema,
            description: description
        )
    }

    private func parseRetry(_ node: Node, _ path: String, nodes: inout [String: Node]) -> RetryPolicy {
        var retry = RetryPolicy()
        if node.tagName == .int, let attempts = node.int {
            nodes["retry.maxAttempts"] = node
            retry.maxAttempts = attempts
            return retry
        }
        guard let fields = fields(of: node, at: path, allowed: Self.retryKeys) else { return retry }
        for (name, entry) in fields { nodes["retry.\(name)"] = entry.value }
        let at = { (name: String) in Self.join(path, name) }
        if let value = fields["maxAttempts"].flatMap({ integer($0.value, at("maxAttempts")) }) { retry.maxAttempts = value }
        if let value = fields["minDelay"].flatMap({ duration($0.value, at("minDelay")) }) { retry.minDelay = value }
        if let value = fields["maxDelay"].flatMap({ duration($0.value, at("maxDelay")) }) { retry.maxDelay = value }
        if let value = fields["factor"].flatMap({ number($0.value, at("factor")) }) { retry.factor = value }
        if let value = fields["jitter"].flatMap({ number($0.value, at("jitter")) }) { retry.jitter = value }
        return retry
    }

    private func parseQueue(_ node: Node, _ path: String, nodes: inout [String: Node]) -> QueueOptions {
        if case .scalar = node {
            nodes["queue.name"] = node
            return QueueOptions(name: nonEmptyString(node, path, what: "a queue name"))
        }
        guard let fields = fields(of: node, at: path, allowed: Self.queueKeys) else { return QueueOptions() }
        for (name, entry) in fields { nodes["queue.\(name)"] = entry.value }
        return QueueOptions(
            name: fields["name"].flatMap { nonEmptyString($0.value, Self.join(path, "name"), what: "a queue name") },
            concurrency: fields["concurrency"].flatMap { integer($0.value, Self.join(path, "concurrency")) }
        )
    }
}
