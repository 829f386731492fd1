import Errand
import Foundation

/// The run filters shared by `GET /api/v1/runs` (query parameters) and the bulk actions (a
/// `filter` object): task, status (repeated or comma separated), tag, created range.
enum RunFilter {
    static let fields = ["task", "status", "tag", "createdAfter", "createdBefore"]

    /// A query from the filters' raw values.
    static func query(task: String?, statuses: [String], tag: String?, createdAfter: String?, createdBefore: String?) throws -> RunQuery {
        var query = RunQuery()
        query.task = try nonEmpty(task, "task")
        if let task { try TaskName.validate(task, field: "task") }
        if let tag { try TriggerOptions.validateTags([tag]) }
        query.tag = try nonEmpty(tag, "tag")
        let words = statuses.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !words.isEmpty {
            query.statuses = Set(try words.map { word in
                guard let status = RunStatus(word: word) else {
                    throw APIError.invalid(
                        "status", "invalid status \"\(word)\": allowed are \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return status
            })
        }
        query.createdFrom = try date(createdAfter, "createdAfter")
        query.createdTo = try date(createdBefore, "createdBefore")
        return query
    }

    /// A query from the query string of `GET /api/v1/runs`, with its cursor and limit.
    static func query(parameters: [String: [String]]) throws -> RunQuery {
        for name in parameters.keys.sorted() where !(fields + ["cursor", "limit"]).contains(name) {
            throw APIError.invalid(name, "unknown query parameter \"\(name)\": allowed are \((fields + ["cursor", "limit"]).joined(separator: ", "))")
        }
        // In a query string an empty value means "no filter" (what a form with a blank field sends).
        let value = { (name: String) in parameters[name]?.last.flatMap { $0.isEmpty ? nil : $0 } }
        var query = try self.query(
            task: value("task"), statuses: parameters["status"] ?? [], tag: value("tag"),
            createdAfter: value("createdAfter"), createdBefore: value("createdBefore")
        )
        if let cursor = value("cursor") {
            _ = try RunQuery.sequence(fromCursor: cursor)
            query.cursor = cursor
        }
        if let text = value("limit") {
            guard let limit = Int(text), (1...1000).contains(limit) else {
                throw APIError.invalid("limit", "invalid limit \"\(text)\": must be an integer between 1 and 1000")
            }
            query.limit = limit
        }
        return query
    }

    /// A query from a bulk action's `filter` object (400 when missing or empty).
    static func query(filter: JSONObject?) throws -> RunQuery {
        guard let filter, !filter.members.filter({ $0.value != .null }).isEmpty else {
            throw APIError.invalid(
                "filter", "a bulk action needs a non-empty filter: give at least one of \(fields.joined(separator: ", ")) in \"filter\""
            )
        }
        try filter.checkKeys(fields)
        for (key, value) in filter.members.sorted(by: { $0.key < $1.key }) where value == .null {
            throw APIError.invalid("filter.\(key)", "filter.\(key) is null: give a value or leave it out")
        }
        let statuses: [String]
        if case .string(let text)? = filter.value("status") {
            statuses = [text]
        } else {
            statuses = try filter.strings("status") ?? []
        }
        return try query(
            task: filter.string("task"), statuses: statuses, tag: filter.string("tag"),
            createdAfter: filter.string("createdAfter"), createdBefore: filter.string("createdBefore")
        )
    }

    private static func nonEmpty(_ value: String?, _ field: String) throws -> String? {
        guard let value else { return nil }
        guard !value.isEmpty else { throw APIError.invalid(field, "\(field) is empty: give a value or leave it out") }
        return value
    }

    private static func date(_ text: String?, _ field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = ISO8601Timestamp.date(from: text) else {
            throw APIError.invalid(field, "invalid \(field) \"\(text)\": must be an ISO-8601 date-time such as 2030-01-01T00:00:00Z")
        }
        return date
    }
}
