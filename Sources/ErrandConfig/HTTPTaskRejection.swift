import Errand

/// A 4xx answer to an attempt of an `http:` task: the endpoint refused the run, so it fails at
/// once without retries.
public struct HTTPTaskRejection: NonRetryableError, Sendable, Hashable, CustomStringConvertible {
    /// The status (400…499).
    public var status: Int
    /// The request, the status and the first 1 KB of the body.
    public var message: String

    /// Creates the error.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
