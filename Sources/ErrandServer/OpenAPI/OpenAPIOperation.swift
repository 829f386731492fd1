import Errand

/// One route of the OpenAPI document: method, path, parameters, body and responses.
struct OpenAPIOperation: Sendable {
    var method: String
    var path: String
    var id: String
    var summary: String
    var query: [(name: String, schema: JSONValue)] = []
    /// The request body's schema name, and whether the body is required.
    var body: (schema: String, required: Bool)?
    /// The success status and its schema name (`nil` = no body; `"text/…"` = that content type).
    var success: (status: Int, schema: String?)
    var errors: [Int]
    /// Links from the success response to operations taking its `id` as their `{id}`.
    var links: [String] = []
    /// Other success statuses with the same schema (a create that found an existing one: 200).
    var alsoSuccess: [Int] = []

    /// The path's `{name}` parameters.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    /// The operation object; `{task}` parameters list `taskNames` when there are any.
    func json(taskNames: [String]) -> JSONValue {
        typealias S = OpenAPISchema
        var parameters: [JSONValue] = pathParameters.map { name in
            var schema: [(String, JSONValue)] = [("type", .string("string")), ("minLength", .integer(1)), ("maxLength", .integer(64))]
            if name == "task", !taskNames.isEmpty { schema.append(("enum", .array(taskNames.map(JSONValue.string)))) }
            return S.object([("name", .string(name)), ("in", .string("path")), ("required", .bool(true)), ("schema", S.object(schema))])
        }
        parameters += query.map { parameter in
            S.object([("name", .string(parameter.name)), ("in", .string("query")), ("required", .bool(false)), ("schema", parameter.schema)])
        }
        var successResponse = Self.response(success.schema, status: success.status)
        if !links.isEmpty, case .object(var members) = successResponse {
            members["links"] = S.object(links.map { target in
                (target, S.object([("operationId", .string(target)), ("parameters", S.object([("id", .string("$response.body#/id"))]))]))
            })
            successResponse = .object(members)
        }
        var responses: [(String, JSONValue)] = [(String(success.status), successResponse)]
        responses += alsoSuccess.map { (String($0), Self.response(success.schema, status: $0)) }
        responses += documentedErrors.map { (String($0), Self.response("Error", status: $0)) }
        var members: [(String, JSONValue)] = [
            ("operationId", .string(id)), ("summary", .string(summary)), ("responses", S.object(responses)),
        ]
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let body {
            members.append(("requestBody", S.object([
                ("required", .bool(body.required)),
                ("content", S.object([("application/json", S.object([("schema", S.ref(body.schema))]))])),
            ])))
        }
        return S.object(members)
    }

    /// ``errors``, with 400 added for an API operation that takes path or query parameters:
    /// ``ServerContext/pathParameter(_:)`` refuses malformed percent-encoding and control
    /// characters, and ``QueryParameters`` refuses unknown parameters and control characters.
    var documentedErrors: [Int] {
        let checksParameters = path.hasPrefix("/api/") && (!pathParameters.isEmpty || !query.isEmpty)
        return checksParameters && !errors.contains(400) ? (errors + [400]).sorted() : errors
    }

    private static func response(_ schema: String?, status: Int) -> JSONValue {
        typealias S = OpenAPISchema
        let description = JSONValue.string(descriptions[status] ?? "OK")
        guard let schema else { return S.object([("description", description)]) }
        if schema.hasPrefix("text/") {
            return S.object([("description", description), ("content", S.object([(schema, S.object([("schema", S.string)]))]))])
        }
        return S.object([
            ("description", description), ("content", S.object([("application/json", S.object([("schema", S.ref(schema))]))])),
        ])
    }

    private static let descriptions = [
        200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 400: "Bad input", 401: "No or invalid credentials",
        403: "Scope or CSRF token missing", 404: "Not found", 409: "Not allowed in the current state", 413: "Body too large",
    ]
}
