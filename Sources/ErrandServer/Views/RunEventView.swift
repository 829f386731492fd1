import Errand

/// A run event as the all-runs stream sends it: `{"kind","runId","task","status","attempt","at",
/// "message","percent","error"}`, absent values `null`, `at` ISO-8601 UTC.
struct RunEventView: Encodable {
    var event: RunEvent

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.kind.rawValue, forKey: .kind)
        try container.encode(event.runID.rawValue, forKey: .runId)
        try container.encode(event.task, forKey: .task)
        try container.encode(event.status.rawValue, forKey: .status)
        try container.encode(event.attempt, forKey: .attempt)
        try container.encode(ISO8601Timestamp.string(from: event.at, fractionalSeconds: true), forKey: .at)
        try container.encode(event.message, forKey: .message)
        try container.encode(event.percent, forKey: .percent)
        try container.encode(event.error, forKey: .error)
    }

    private enum CodingKeys: String, CodingKey { case kind, runId, task, status, attempt, at, message, percent, error }
}
