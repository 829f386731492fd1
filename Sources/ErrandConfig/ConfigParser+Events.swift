import Errand
import Yams

extension ConfigParser {
    /// The keys of one object under `on:`.
    static let subscriptionKeys = ["event", "filter", "delay"]
    /// The longest delay of a subscription (the engine's rule).
    static let maximumSubscriptionDelay = Duration.seconds(365 * 24 * 3600)

    /// A task's `on:`: a pattern, a list of patterns and objects, or one object; problems are
    /// reported at their node.
    func parseSubscriptions(_ node: Node, _ path: String) -> [ConfiguredSubscription] {
        let items: [(Node, String)]
        if let sequence = node.sequence {
            if sequence.isEmpty { report(node, path, "no event is given; list event name patterns such as [\"user.created\"], or remove on:") }
            items = sequence.enumerated().map { ($1, "\(path)[\($0)]") }
        } else {
            items = [(node, path)]
        }
        var result: [ConfiguredSubscription] = []
        var seen: Set<String> = []
        for (item, itemPath) in items {
            guard let subscription = parseSubscription(item, itemPath) else { continue }
            guard seen.insert(subscription.pattern).inserted else {
                report(item, itemPath, "the task already subscribes to \"\(subscription.pattern)\"; list each pattern once")
                continue
            }
            result.append(subscription)
        }
        return result
    }

    private func parseSubscription(_ node: Node, _ path: String) -> ConfiguredSubscription? {
        let before = problems.count
        if case .scalar = node {
            return pattern(node, path).map { ConfiguredSubscription(pattern: $0) }
        }
        guard node.mapping != nil else {
            report(node, path, "expected an event name pattern such as \"user.*\" or { event: \"created:user:*\", filter: { \"user.plan\": pro }, delay: 1h }, found \(Self.kind(of: node))")
            return nil
        }
        guard let fields = fields(of: node, at: path, allowed: Self.subscriptionKeys) else { return nil }
        guard let eventNode = fields["event"]?.value else {
            report(node, path, "the event is missing; give its name pattern as event: \"user.created\"")
            return nil
        }
        var subscription = ConfiguredSubscription(pattern: pattern(eventNode, Self.join(path, "event")) ?? "")
        if let filterNode = fields["filter"]?.value {
            subscription.filter = filter(filterNode, Self.join(path, "filter")) ?? EventFilter()
        }
        if let delayNode = fields["delay"]?.value, let delay = duration(delayNode, Self.join(path, "delay")) {
            if delay < .zero || delay > Self.maximumSubscriptionDelay {
                report(delayNode, Self.join(path, "delay"), "a subscription's delay is 0 to 365 days")
            } else {
                subscription.delay = delay
            }
        }
        return problems.count == before ? subscription : nil
    }

    /// An event name pattern, checked by ``EventPattern``.
    private func pattern(_ node: Node, _ path: String) -> String? {
        guard let text = string(node, path, what: "an event name pattern such as \"user.*\"") else { return nil }
        do {
            _ = try EventPattern(text)
            return text
        } catch {
            report(error, at: node, path)
            return nil
        }
    }

    /// A payload filter: a mapping of paths (`user.plan`) to the value, or list of values, to match.
    private func filter(_ node: Node, _ path: String) -> EventFilter? {
        guard let mapping = node.mapping else {
            report(node, path, "expected a mapping of payload paths to values such as { \"user.plan\": pro }, found \(Self.kind(of: node))")
            return nil
        }
        var conditions: [String: JSONValue] = [:]
        var ok = true
        for (key, value) in mapping {
            guard let name = nonEmptyString(key, path, what: "a payload path such as user.plan") else { ok = false; continue }
            guard !name.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                report(key, Self.join(path, name), "\"\(name)\" has an empty segment; a payload path is keys separated by single dots, such as user.plan")
                ok = false
                continue
            }
            if let converted = json(value, Self.join(path, name)) { conditions[name] = converted } else { ok = false }
        }
        return ok ? EventFilter(conditions) : nil
    }
}
