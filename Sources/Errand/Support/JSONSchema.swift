import Foundation

/// A JSON Schema for payloads, the common subset: `type` (one or a list of `null`, `boolean`,
/// `integer`, `number`, `string`, `array`, `object`), `properties`, `required`,
/// `additionalProperties` (true or false), `enum`, `const`, `items`, `minItems`/`maxItems`,
/// `minimum`/`maximum`, `exclusiveMinimum`/`exclusiveMaximum` (numbers), `minLength`/`maxLength`
/// and `pattern`. Other keywords (`title`, `description`, `default`, `examples`, `$schema`, `$id`)
/// are accepted and ignored; any other keyword is an error, so a misspelt rule is not silently
/// skipped.
///
/// ```swift
/// let schema = try JSONSchema(JSONValue(json: Data(#"{"type":"object","required":["email"]}"#.utf8)))
/// try schema.validate(payload)   // throws ErrandError naming payload.email
/// ```
public struct JSONSchema: Sendable, Hashable {
    /// The schema document.
    public let document: JSONValue

    static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "minItems", "maxItems", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "title", "description", "default", "examples",
        "$schema", "$id",
    ]
    static let types: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]

    /// Checks the schema itself; throws an error naming the bad keyword (`schema.properties.age.minimum`).
    public init(_ document: JSONValue) throws {
        try Self.check(document, path: "schema")
        self.document = document
    }

    /// Validates a value; throws an ``ErrandError`` whose field is the path of the first value
    /// that breaks a rule (`payload.items[2].name`).
    public func validate(_ value: JSONValue, path: String = "payload") throws {
        try Self.validate(value, against: document, path: path)
    }

    private static func check(_ schema: JSONValue, path: String) throws {
        guard case .object(let object) = schema else {
            if case .bool = schema { return }
            throw invalidSchema(path, "a schema is an object (or true/false)")
        }
        for key in object.keys where !keywords.contains(key) {
            throw invalidSchema("\(path).\(key)", "unknown keyword; supported: \(keywords.sorted().joined(separator: ", "))")
        }
        if let type = object["type"] {
            let names: [JSONValue] = if case .array(let list) = type { list } else { [type] }
            for name in names {
                guard case .string(let text) = name, types.contains(text) else {
                    throw invalidSchema("\(path).type", "a type is one of \(types.sorted().joined(separator: ", ")) (or a list of them)")
                }
            }
        }
        if let properties = object["properties"] {
            guard case .object(let map) = properties else { throw invalidSchema("\(path).properties", "an object of schemas") }
            for (name, sub) in map { try check(sub, path: "\(path).properties.\(name)") }
        }
        if let items = object["items"] { try check(items, path: "\(path).items") }
        if let required = object["required"] {
            guard case .array(let names) = required, names.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                throw invalidSchema("\(path).required", "a list of property names")
            }
        }
        if let additional = object["additionalProperties"], case .bool = additional {} else if object["additionalProperties"] != nil {
            throw invalidSchema("\(path).additionalProperties", "true or false")
        }
        if let values = object["enum"], case .array = values {} else if object["enum"] != nil {
            throw invalidSchema("\(path).enum", "a list of allowed values")
        }
        for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] where object[key] != nil {
            guard number(object[key]!) != nil else { throw invalidSchema("\(path).\(key)", "a number") }
        }
        for key in ["minLength", "maxLength", "minItems", "maxItems"] where object[key] != nil {
            guard let value = number(object[key]!), value >= 0, value == value.rounded() else {
                throw invalidSchema("\(path).\(key)", "a whole number, 0 or more")
            }
        }
        if let pattern = object["pattern"] {
            guard case .string(let text) = pattern, (try? NSRegularExpression(pattern: text)) != nil else {
                throw invalidSchema("\(path).pattern", "a valid regular expression")
            }
        }
    }

    private static func validate(_ value: JSONValue, against schema: JSONValue, path: String) throws {
        guard case .object(let rules) = schema else {
            if case .bool(false) = schema { throw invalid(path, "no value is allowed here") }
            return
        }
        if let type = rules["type"] {
            let list: [JSONValue] = if case .array(let list) = type { list } else { [type] }
            let names: [String] = list.compactMap { if case .string(let name) = $0 { name } else { nil } }
            guard names.contains(where: { matches(value, type: $0) }) else {
                throw invalid(path, "is \(typeName(value)); expected \(names.joined(separator: " or "))")
            }
        }
        if let allowed = rules["enum"], case .array(let options) = allowed, !options.contains(where: { equal($0, value) }) {
            throw invalid(path, "is \(describe(value)); allowed: \(options.map(describe).joined(separator: ", "))")
        }
        if let constant = rules["const"], !equal(constant, value) {
            throw invalid(path, "is \(describe(value)); must be \(describe(constant))")
        }
        if let number = number(value) {
            if let minimum = rules["minimum"].flatMap(Self.number), number < minimum { throw invalid(path, "is \(describe(value)); the minimum is \(format(minimum))") }
            if let maximum = rules["maximum"].flatMap(Self.number), number > maximum { throw invalid(path, "is \(describe(value)); the maximum is \(format(maximum))") }
            if let bound = rules["exclusiveMinimum"].flatMap(Self.number), number <= bound { throw invalid(path, "is \(describe(value)); must be greater than \(format(bound))") }
            if let bound = rules["exclusiveMaximum"].flatMap(Self.number), number >= bound { throw invalid(path, "is \(describe(value)); must be less than \(format(bound))") }
        }
        if case .string(let text) = value {
            let length = text.count
            if let minimum = rules["minLength"].flatMap(Self.number), Double(length) < minimum { throw invalid(path, "is \(length) characters long; at least \(format(minimum)) are required") }
            if let maximum = rules["maxLength"].flatMap(Self.number), Double(length) > maximum { throw invalid(path, "is \(length) characters long; at most \(format(maximum)) are allowed") }
            if case .string(let pattern) = rules["pattern"], let regex = try? NSRegularExpression(pattern: pattern),
               regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                throw invalid(path, "\(describe(value)) does not match the pattern \(pattern)")
            }
        }
        if case .array(let items) = value {
            if let minimum = rules["minItems"].flatMap(Self.number), Double(items.count) < minimum { throw invalid(path, "has \(items.count) items; at least \(format(minimum)) are required") }
            if let maximum = rules["maxItems"].flatMap(Self.number), Double(items.count) > maximum { throw invalid(path, "has \(items.count) items; at most \(format(maximum)) are allowed") }
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() { try validate(item, against: itemSchema, path: "\(path)[\(index)]") }
            }
        }
        if case .object(let object) = value {
            if case .array(let required) = rules["required"] {
                for case .string(let name) in required where object[name] == nil {
                    throw invalid("\(path).\(name)", "is required")
                }
            }
            let properties: [String: JSONValue] = if case .object(let map) = rules["properties"] { map } else { [:] }
            for name in object.keys.sorted() {
                if let sub = properties[name] {
                    try validate(object[name]!, against: sub, path: "\(path).\(name)")
                } else if case .bool(false) = rules["additionalProperties"] {
                    throw invalid("\(path).\(name)", "is not allowed; allowed properties: \(properties.keys.sorted().joined(separator: ", "))")
                }
            }
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object), ("integer", .integer): true
        case ("number", .integer), ("number", .number), ("number", .decimal): true
        case ("integer", .number(let number)): number == number.rounded()
        case ("integer", .decimal(let number)): !number.description.contains(".")
        default: false
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let value): Double(value)
        case .number(let value): value
        case .decimal(let value): Double(value.description)
        default: nil
        }
    }

    /// The number exactly, for equality (a `Double` would make two long numbers equal).
    private static func exactNumber(_ value: JSONValue) -> Decimal? {
        switch value {
        case .integer(let value): Decimal(value)
        case .number(let value): Decimal(string: "\(value)")
        case .decimal(let value): value
        default: nil
        }
    }

    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.decimal, _), (_, .decimal): return exactNumber(a) == exactNumber(b)
        default:
            if let x = number(a), let y = number(b) { return x == y }
            return a == b
        }
    }

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .number, .decimal: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)).map { $0.count > 60 ? String($0.prefix(57)) + "..." : $0 } ?? "?"
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func invalid(_ path: String, _ message: String) -> ErrandError {
        ErrandError(code: .invalidArgument, message: "\(path) \(message)", field: path)
    }

    private static func invalidSchema(_ path: String, _ allowed: String) -> ErrandError {
        ErrandError(code: .invalidArgument, message: "\(path): \(allowed)", field: path)
    }
}
