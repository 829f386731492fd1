import Foundation


/// An attempt as the CLI prints it in JSON: ``AttemptRecord``'s fields, dates as ISO-8601 UTC.
public struct AttemptView: Codable, Sendable {
    public var number: Int
    public var workerID: String
    public var startedAt: String
    public var endedAt: String?
    /// The ``AttemptOutcome`` raw value, `null` while the attempt runs.
    public var outcome: String?
    public var error: RunError?

    /// The view of an attempt.
    public init(_ attempt: AttemptRecord) {
        number = attempt.number
        workerID = attempt.workerID
        startedAt = ISO8601Timestamp.string(from: attempt.startedAt, fractionalSeconds: true)
        endedAt = attempt.endedAt.map { ISO8601Timestamp.string(from: $0, fractionalSeconds: true) }
        outcome = attempt.outcome?.rawValue
        error = attempt.error
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(workerID, forKey: .workerID)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(error, forKey: .error)
    }
}
