/// Why an attempt of a `command:` or `shell:` task failed: the process could not start, exited
/// with a non-zero status (the message has the end of its standard error), was killed by a
/// signal, or wrote something other than JSON to standard output. The run is retried by its
/// retry policy.
public struct CommandFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What happened, with the end of standard error when there is one.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
