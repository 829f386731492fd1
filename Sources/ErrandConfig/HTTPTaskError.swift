/// A failed attempt of an `http:` task that is worth retrying: a 5xx status, a connection error
/// or a timeout. The run is retried by its retry policy.
public struct HTTPTaskError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status, when a response came.
    public var status: Int?
    /// What happened: the request, the status and the first 1 KB of the body, or the error.
    public var message: String

    /// Creates the error.
    public init(status: Int? = nil, message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
