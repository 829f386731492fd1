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

    /// The filters only `GET /api/v1/runs` has (a bulk action's filter does not take them).
    static let listFields = ["origin", "eventId"]

    /// A query from the query string of `GET /api/v1/runs`, with its cursor and limit.
    static func query(parameters values: [String: [String]]) throws -> RunQuery {
        let parameters = try QueryParameters(values, allowed: fields + listFields + ["cursor", "limit"])
        var query = try self.query(
            task: parameters.value("task"), statuses: parameters.all("status"), tag: parameters.value("tag"),
            createdAfter: parameters.value("createdAfter"), createdBefore: parameters.value("createdBefore")
        )
        query.origin = try parameters.value("origin").map(RunOrigin.init(parsing:))
        query.eventID = parameters.value("eventId")
        if let cursor = parameters.value("cursor") {
            _ = try RunQuery.sequence(fromCursor: cursor)
            query.cursor = cursor
        }
        query.limit = try parameters.limit() ?? query.limit
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
