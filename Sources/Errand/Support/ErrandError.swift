/// An error Errand reports for bad input or a missing thing.
///
/// Every error names what is wrong: ``field`` is the offending input (when there is one) and
/// ``message`` says which value was given and what is allowed.
public struct ErrandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error, stable for programs (the HTTP API's `error.code`).
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An input is malformed or out of range.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// No task has that name.
        public static let unknownTask = Code(rawValue: "unknown_task")
        /// Two tasks share a name.
        public static let duplicateTask = Code(rawValue: "duplicate_task")
        /// A payload is larger than the limit.
        public static let payloadTooLarge = Code(rawValue: "payload_too_large")
        /// No run has that id.
        public static let runNotFound = Code(rawValue: "run_not_found")
        /// The operation does not apply to the run in its current status.
        public static let invalidState = Code(rawValue: "invalid_state")
        /// No schedule has that id.
        public static let scheduleNotFound = Code(rawValue: "schedule_not_found")
        /// The store (or another part) does not support the operation.
        public static let unsupported = Code(rawValue: "unsupported")
        /// No wait token has the id.
        public static let tokenNotFound = Code(rawValue: "token_not_found")
        /// The wait token was already completed or timed out.
        public static let tokenResolved = Code(rawValue: "token_resolved")
        /// A child run would be nested deeper than ``RunRecord/maximumDepth``.
        public static let depthExceeded = Code(rawValue: "depth_exceeded")
    }

    /// The kind of error.
    public var code: Code
    /// What is wrong, naming the value and what is allowed.
    public var message: String
    /// The offending input, when there is one (`payload`, `after`, `name`, …).
    public var field: String?

    /// Creates an error.
    public init(code: Code, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }

    /// An input is malformed or out of range.
    public static func invalidArgument(field: String, value: String, allowed: String) -> ErrandError {
        ErrandError(code: .invalidArgument, message: "invalid \(field) \(Self.quote(value)): \(allowed)", field: field)
    }

    /// No task has that name.
    public static func unknownTask(_ name: String, known: [String]) -> ErrandError {
        let list = known.isEmpty ? "no task is registered" : "registered tasks: \(known.sorted().joined(separator: ", "))"
        return ErrandError(code: .unknownTask, message: "unknown task \(quote(name)): \(list)", field: "task")
    }

    /// A payload (or another body) is larger than allowed.
    public static func payloadTooLarge(field: String = "payload", size: Int, limit: Int) -> ErrandError {
        ErrandError(
            code: .payloadTooLarge,
            message: "\(field) is \(size) bytes, larger than the limit of \(limit) bytes",
            field: field
        )
    }

    /// No run has that id.
    public static func runNotFound(_ id: RunID) -> ErrandError {
        ErrandError(code: .runNotFound, message: "no run with id \(quote(id.rawValue))", field: "id")
    }

    /// No schedule has that id.
    public static func scheduleNotFound(_ id: String) -> ErrandError {
        ErrandError(code: .scheduleNotFound, message: "no schedule with id \(quote(id))", field: "id")
    }

    static func quote(_ value: String) -> String {
        let shown = value.count > 80 ? String(value.prefix(77)) + "..." : value
        return "\"\(shown)\""
    }
}
