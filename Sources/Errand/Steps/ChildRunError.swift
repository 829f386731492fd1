/// The error `triggerAndWait` throws when the child run did not complete: it failed, timed out,
/// crashed, expired or was canceled.
public struct ChildRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The child run.
    public var childID: RunID
    /// The child's task.
    public var task: String
    /// The child's final status.
    public var status: RunStatus
    /// The child's error.
    public var error: RunError?

    /// A child's failure.
    public init(childID: RunID, task: String, status: RunStatus, error: RunError?) {
        self.childID = childID
        self.task = task
        self.status = status
        self.error = error
    }

    public var description: String {
        "child run \(childID) of task \"\(task)\" ended \(status.rawValue)" + (error.map { ": \($0.message)" } ?? "")
    }
}

/// The error `waitForToken` throws when the token's timeout passes before it is completed.
public struct WaitTokenTimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The token.
    public var tokenID: String

    /// A token's timeout.
    public init(tokenID: String) {
        self.tokenID = tokenID
    }

    public var description: String { "wait token \(tokenID) timed out before it was completed" }
}
