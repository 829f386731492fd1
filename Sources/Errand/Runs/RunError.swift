/// An error recorded with a run or one of its attempts.
///
/// `type` classifies it (`runtime` for an error thrown by the handler, `timeout`, `workerLost`,
/// `canceled`, `maxDuration`, `expired`, `resultTooLarge`), `name` is the Swift type of the thrown
/// error (Extra Horizon's `name`), `message` is its description and `stack` any extra detail.
public struct RunError: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure: `runtime`, `timeout`, `workerLost`, `canceled`, `maxDuration`, `expired`.
    public var type: String
    /// The error's name, usually its Swift type.
    public var name: String
    /// A human-readable message.
    public var message: String
    /// Extra detail, such as a stack or the tail of a process's standard error.
    public var stack: String?

    /// Creates an error record.
    public init(type: String, name: String, message: String, stack: String? = nil) {
        self.type = type
        self.name = name
        self.message = message
        self.stack = stack
    }

    public var description: String { "\(name): \(message)" }
}
