import Errand
import Foundation
import Yams

extension ConfigParser {
    /// A mapping's entries by key, after checking that every key is allowed (unknown keys are
    /// reported at the key, with the allowed keys). `nil` (reported) when the node is no mapping.
    func fields(of node: Node, at path: String, allowed: [String]) -> [String: (key: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            report(node, path, "expected a mapping with the keys \(allowed.joined(separator: ", ")), found \(Self.kind(of: node))")
            return nil
        }
        var result: [String: (key: Node, value: Node)] = [:]
        for (key, value) in Self.mergingKeys(of: mapping) {
            guard let name = scalarText(key) else {
                report(key, path, "a key must be text, found \(Self.kind(of: key))")
                continue
            }
            guard allowed.contains(name) else {
                report(key, Self.join(path, name), "unknown key \"\(name)\"\(Self.suggestion(for: name, in: allowed)); allowed keys: \(allowed.joined(separator: ", "))")
                continue
            }
            result[name] = (key, value)
        }
        return result
    }

    /// A mapping's entries with YAML merge keys applied: `<<: *defaults` (or a list of aliases)
    /// adds the entries of the merged mappings that the mapping does not set itself.
    static func mergingKeys(of mapping: Node.Mapping) -> [(Node, Node)] {
        var own: [(Node, Node)] = []
        var merged: [(Node, Node)] = []
        for (key, value) in mapping {
            guard key.tagName == .merge || (key.scalar?.string == "<<" && key.scalar?.style == .plain) else {
                own.append((key, value))
                continue
            }
            let sources = value.sequence.map(Array.init) ?? [value]
            for source in sources {
                guard let entries = source.mapping else {
                    own.append((key, value))  // not a mapping: reported as an unknown key
                    break
                }
                merged += mergingKeys(of: entries)
            }
        }
        let names = Set(own.compactMap { $0.0.scalar?.string })
        var seen = names
        return own + merged.filter { key, _ in
            guard let name = key.scalar?.string else { return true }
            return seen.insert(name).inserted
        }
    }

    /// `a.b` from a path and a key.
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The text of a scalar that is not null, else `nil`.
    func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if node.tagName == .null && scalar.style == .plain { return nil }
        return scalar.string
    }

    /// Text: any scalar but null (a number or a boolean is taken as written).
    func string(_ node: Node, _ path: String, what: String = "text") -> String? {
        guard let text = scalarText(node) else {
            report(node, path, "expected \(what), found \(Self.kind(of: node))")
            return nil
        }
        return text
    }

    /// Text that is not empty.
    func nonEmptyString(_ node: Node, _ path: String, what: String = "text") -> String? {
        guard let text = string(node, path, what: what) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            report(node, path, "must not be empty")
            return nil
        }
        return text
    }

    /// A whole number.
    func integer(_ node: Node, _ path: String) -> Int? {
        guard node.tagName == .int, let value = node.int else {
            report(node, path, "expected a whole number, found \(Self.kind(of: node))")
            return nil
        }
        return value
    }

    /// A number (whole or not).
    func number(_ node: Node, _ path: String) -> Double? {
        guard node.tagName == .int || node.tagName == .float, let value = node.float ?? node.int.map(Double.init) else {
            report(node, path, "expected a number, found \(Self.kind(of: node))")
            return nil
        }
        return value
    }

    /// A duration: a number of seconds, or text such as `500ms`, `30s`, `2m`, `1h`, `1d`.
    func duration(_ node: Node, _ path: String) -> Duration? {
        if node.tagName == .int || node.tagName == .float, let seconds = node.float ?? node.int.map(Double.init) {
            guard let value = DurationText.duration(milliseconds: seconds * 1000) else {
                report(node, path, "\(seconds) seconds is out of range; at most \(DurationText.maximumDays) days")
                return nil
            }
            return value
        }
        guard let text = scalarText(node), let value = DurationText.parse(text) else {
            let shown = scalarText(node).map { "\"\($0)\"" } ?? Self.kind(of: node)
            report(node, path, "\(shown) is not a duration; use a number followed by ms, s, m, h or d (e.g. 2m)")
            return nil
        }
        return value
    }

    /// A list of text, or one text taken as a list of one.
    func stringList(_ node: Node, _ path: String, what: String) -> [String]? {
        guard let items = node.sequence else {
            report(node, path, "expected a list of \(what) such as [a, b], found \(Self.kind(of: node))")
            return nil
        }
        var result: [String] = []
        var ok = true
        for (index, item) in items.enumerated() {
            if let text = string(item, "\(path)[\(index)]") { result.append(text) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// A mapping of text to text, in file order.
    func stringPairs(_ node: Node, _ path: String) -> [(String, String)]? {
        guard let mapping = node.mapping else {
            report(node, path, "expected a mapping of names to text such as { NAME: value }, found \(Self.kind(of: node))")
            return nil
        }
        var result: [(String, String)] = []
        var ok = true
        for (key, value) in mapping {
            guard let name = nonEmptyString(key, path, what: "a name") else { ok = false; continue }
            if let text = string(value, Self.join(path, name)) { result.append((name, text)) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// Any YAML value as JSON: mappings with text keys, lists, and scalars by their resolved type.
    func json(_ node: Node, _ path: String) -> JSONValue? {
        switch node {
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = string(key, path, what: "a text key") else { return nil }
                guard let converted = json(value, Self.join(path, name)) else { return nil }
                object[name] = converted
            }
            return .object(object)
        case .sequence(let sequence):
            var array: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                guard let converted = json(item, "\(path)[\(index)]") else { return nil }
                array.append(converted)
            }
            return .array(array)
        case .scalar(let scalar):
            switch node.tagName {
            case .null: return .null
            case .bool: if let value = node.bool { return .bool(value) }
            case .int: if let value = node.int { return .integer(Int64(value)) }
            case .float: if let value = node.float, value.isFinite { return .number(value) }
            default: break
            }
            return .string(scalar.string)
        case .alias:
            report(node, path, "aliases are not supported here")
            return nil
        }
    }

    /// ` (did you mean "retry"?)` when a key is close to an allowed one.
    static func suggestion(for key: String, in allowed: [String]) -> String {
        let scored = allowed.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 2) else { return "" }
        return " (did you mean \"\(best.0)\"?)"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
