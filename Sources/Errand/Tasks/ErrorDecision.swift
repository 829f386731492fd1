import Foundation

/// What a `handleError` hook decides for an error thrown by an attempt.
public enum ErrorDecision: Sendable {
    /// Follow the retry policy (the default when the hook returns `nil`).
    case useRetryPolicy
    /// Retry, at the given time or after the policy's delay when `nil`, even past the policy's
    /// attempt count.
    case retry(at: Date?)
    /// Fail the run now, without further retries.
    case fail
    /// Treat the attempt as a success, with this result as JSON (`nil` = no result).
    case succeed(result: Data?)
}

/// An error that fails the run at once, without retries (Trigger.dev's `AbortTaskRunError`).
///
/// Conform your own error types to it, or throw ``AbortRunError``.
public protocol NonRetryableError: Error {}

/// Fails the run at once, without retries.
public struct AbortRunError: NonRetryableError, CustomStringConvertible {
    /// Why.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
