import Errand

/// Small builders for the JSON Schema pieces of the OpenAPI document.
enum OpenAPISchema {
    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(Dictionary(members, uniquingKeysWith: { _, last in last }))
    }

    static func ref(_ name: String) -> JSONValue { object([("$ref", .string("#/components/schemas/\(name)"))]) }
    static let string: JSONValue = object([("type", .string("string"))])
    static let nullableString: JSONValue = object([("type", .array([.string("string"), .string("null")]))])
    static let dateTime: JSONValue = object([("type", .string("string")), ("format", .string("date-time"))])
    static let nullableDateTime: JSONValue = object([("type", .array([.string("string"), .string("null")])), ("format", .string("date-time"))])
    /// A string of 1…`max` characters.
    static func text(max: Int) -> JSONValue {
        object([("type", .string("string")), ("minLength", .integer(1)), ("maxLength", .integer(Int64(max)))])
    }

    /// A name (task, queue, tag): 1…64 characters, no control characters.
    static let name: JSONValue = object([
        ("type", .string("string")), ("minLength", .integer(1)), ("maxLength", .integer(64)), ("pattern", .string("^[^\\u0000-\\u001F\\u007F]+$")),
    ])
    /// A query filter: empty (no filter) or a name.
    static let nameOrEmpty: JSONValue = object([
        ("type", .string("string")), ("maxLength", .integer(64)), ("pattern", .string("^[^\\u0000-\\u001F\\u007F]*$")),
    ])
    /// A query filter: empty (no filter) or a date-time.
    static let dateTimeOrEmpty: JSONValue = object([("anyOf", .array([dateTime, object([("type", .string("string")), ("maxLength", .integer(0))])]))])
    /// The `cursor` of a listing: empty or the `nextCursor` of the previous page.
    static let cursor: JSONValue = object([("type", .string("string")), ("pattern", .string("^([1-9][0-9]{0,17})?$"))])
    /// The `limit` of a listing: 1 to 1000.
    static let limit: JSONValue = object([("type", .string("integer")), ("minimum", .integer(1)), ("maximum", .integer(1000))])
    static let integer: JSONValue = object([("type", .string("integer"))])
    static let nullableInteger: JSONValue = object([("type", .array([.string("integer"), .string("null")]))])
    static let number: JSONValue = object([("type", .string("number"))])
    static let nullableNumber: JSONValue = object([("type", .array([.string("number"), .string("null")]))])
    static let boolean: JSONValue = object([("type", .string("boolean"))])
    /// Any JSON value.
    static let any: JSONValue = object([])
    static let runStatus: JSONValue = object([
        ("type", .string("string")), ("enum", .array(RunStatus.allCases.map { .string($0.rawValue) })),
    ])

    static func array(_ items: JSONValue) -> JSONValue { object([("type", .string("array")), ("items", items)]) }

    static func nullable(_ name: String) -> JSONValue {
        object([("oneOf", .array([ref(name), object([("type", .string("null"))])]))])
    }

    /// An object schema: its properties, which are required, and whether others are allowed.
    static func record(_ properties: [(String, JSONValue)], required: [String]? = nil, closed: Bool = false) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("object")), ("properties", object(properties)),
            ("required", .array((required ?? properties.map(\.0)).map(JSONValue.string))),
        ]
        if closed { members.append(("additionalProperties", .bool(false))) }
        return object(members)
    }
}
