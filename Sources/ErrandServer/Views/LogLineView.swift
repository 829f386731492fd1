import Errand

/// A run's log line as the API sends it: `{"index","attempt","level","message","metadata","time"}`,
/// `time` ISO-8601 UTC. A line sent live on the run's stream before it is stored has `index` `null`.
struct LogLineView: Encodable {
    var index: Int?
    var attempt: Int
    var level: String
    var message: String
    var metadata: [String: String]
    var time: String

    /// The view of a stored line.
    init(_ line: RunLogLine) {
        index = line.index
        attempt = line.attempt
        level = line.level
        message = line.message
        metadata = line.metadata
        time = ISO8601Timestamp.string(from: line.at, fractionalSeconds: true)
    }

    /// The view of a `log` run event (a line as it is written, before it is stored).
    init(event: RunEvent) {
        index = nil
        attempt = event.attempt ?? 0
        level = event.logLevel ?? "info"
        message = event.message ?? ""
        metadata = event.logMetadata ?? [:]
        time = ISO8601Timestamp.string(from: event.at, fractionalSeconds: true)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(level, forKey: .level)
        try container.encode(message, forKey: .message)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(time, forKey: .time)
    }

    private enum CodingKeys: String, CodingKey { case index, attempt, level, message, metadata, time }
}
