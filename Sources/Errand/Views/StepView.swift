import Foundation

/// A durable step as the CLI and the HTTP API print it: ``StepRecord``'s fields, dates as
/// ISO-8601 UTC, the output embedded as JSON.
public struct StepView: Codable, Sendable {
    /// The step's key path.
    public var key: String
    /// `step`, `wait`, `child` or `token`.
    public var kind: String
    /// `completed`, `failed` or `waiting`.
    public var status: String
    /// Tries of the step's closure.
    public var attempts: Int
    /// When it first started.
    public var startedAt: String
    /// When it finished.
    public var endedAt: String?
    /// The stored output's size in bytes.
    public var outputSize: Int
    /// The stored output.
    public var output: JSONValue?
    /// The error of its last failed try.
    public var error: RunError?
    /// When a wait ends or a token times out.
    public var wakeAt: String?
    /// The child runs of a child step.
    public var childIDs: [String]
    /// The token of a token step.
    public var tokenID: String?

    /// The view of a step.
    public init(_ step: StepRecord) {
        let time = { (date: Date) in ISO8601Timestamp.string(from: date, fractionalSeconds: true) }
        key = step.key
        kind = step.kind.rawValue
        status = step.status.rawValue
        attempts = step.attempts
        startedAt = time(step.startedAt)
        endedAt = step.endedAt.map(time)
        outputSize = step.outputSize
        output = step.output.map(JSONValue.init(json:))
        error = step.error
        wakeAt = step.wakeAt.map(time)
        childIDs = step.childIDs.map(\.rawValue)
        tokenID = step.tokenID
    }
}
