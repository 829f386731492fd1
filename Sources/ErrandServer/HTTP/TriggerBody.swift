import Errand
import Foundation

/// The trigger body `{"payload","after","priority","tags","idempotencyKey","concurrencyKey"}`,
/// checked field by field.
enum TriggerBody {
    static let fields = ["payload", "after", "priority", "tags", "idempotencyKey", "concurrencyKey"]

    /// The trigger request for `task` from a body (`nil` = an empty body: payload `{}`).
    static func request(task: String, body: JSONObject?) throws -> TriggerRequest {
        guard let body else { return TriggerRequest(task: task, payload: Data("{}".utf8)) }
        try body.checkKeys(fields)
        var options = TriggerOptions()
        options.after = try after(body)
        options.priority = try body.int("priority")
        options.tags = try body.strings("tags") ?? []
        options.idempotencyKey = try body.string("idempotencyKey")
        options.concurrencyKey = try body.string("concurrencyKey")
        let payload = try body.json("payload") ?? Data("{}".utf8)
        return TriggerRequest(task: task, payload: payload, options: options)
    }

    /// `after`: what ``TriggerDelay`` accepts, a number of milliseconds (or an epoch) or a string.
    static func after(_ body: JSONObject) throws -> TriggerDelay? {
        let field = body.path + "after"
        do {
            switch body.value("after") {
            case nil: return nil
            case .integer(let value): return try TriggerDelay.number(Double(value))
            case .number(let value): return try TriggerDelay.number(value)
            case .decimal(let value): return try TriggerDelay.number(Double(value.description) ?? .infinity)
            case .string(let text): return try TriggerDelay.parse(text)
            case let value?:
                throw APIError.invalid(
                    field, "invalid \(field) (\(JSONObject.kind(of: value))): must be a number of milliseconds or a string like \"10 minutes\" or \"2030-01-01T00:00:00Z\""
                )
            }
        } catch var error as ErrandError {
            error.field = field
            throw error
        }
    }
}
