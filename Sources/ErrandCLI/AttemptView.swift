import Errand

/// An attempt as the CLI prints it in JSON: ``AttemptRecord``'s fields, dates as ISO-8601 UTC.
struct AttemptView: Codable, Sendable {
    var number: Int
    var workerID: String
    var startedAt: String
    var endedAt: String?
    /// The ``AttemptOutcome`` raw value, `null` while the attempt runs.
    var outcome: String?
    var error: RunError?

    /// The view of an attempt.
    init(_ attempt: AttemptRecord) {
        number = attempt.number
        workerID = attempt.workerID
        startedAt = RunFormatting.timestamp(attempt.startedAt)
        endedAt = attempt.endedAt.map(RunFormatting.timestamp)
        outcome = attempt.outcome?.rawValue
        error = attempt.error
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(workerID, forKey: .workerID)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(error, forKey: .error)
    }
}
