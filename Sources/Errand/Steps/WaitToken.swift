import Foundation

/// A wait token: a run parks on it until someone completes it with a JSON value (human in the
/// loop), or until it times out.
///
/// Tokens have ids a caller can store (in an email link, a ticket) and complete later through
/// ``Errand/completeToken(_:value:)`` or `POST /api/v1/tokens/{id}/complete`.
public struct WaitToken: Codable, Sendable, Hashable {
    /// The token's id (`tok_…`).
    public var id: String
    /// The run that created it, `nil` for a token created outside any run.
    public var runID: RunID?
    /// The caller's idempotency key: creating a token with the same key again returns this one.
    public var idempotencyKey: String?
    /// Where the token stands.
    public var status: WaitTokenStatus
    /// The JSON value it was completed with.
    public var value: Data?
    /// When it was created.
    public var createdAt: Date
    /// When it times out, `nil` for never.
    public var expiresAt: Date?
    /// When it was completed or timed out.
    public var resolvedAt: Date?

    /// A token.
    public init(
        id: String, runID: RunID?, idempotencyKey: String?, status: WaitTokenStatus, value: Data? = nil, createdAt: Date,
        expiresAt: Date?, resolvedAt: Date? = nil
    ) {
        self.id = id
        self.runID = runID
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.value = value
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.resolvedAt = resolvedAt
    }

    /// A new token id: `tok_` and a sortable run-id-like suffix.
    public static func generateID() -> String { "tok_" + RunID.generate().rawValue }
}

/// Where a ``WaitToken`` stands.
public enum WaitTokenStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Not completed yet.
    case pending
    /// Completed with a value.
    case completed
    /// Its timeout passed before anyone completed it.
    case timedOut
}

/// How ``RunStore/resolveToken(id:resolution:now:)`` resolves a pending token.
public enum TokenResolution: Sendable, Hashable {
    /// Completes it with a JSON value.
    case complete(Data)
    /// Marks it timed out (only once its timeout has passed).
    case timeOut
}

/// What ``RunStore/resolveToken(id:resolution:now:)`` did.
public enum TokenResolveResult: Sendable, Hashable {
    /// Resolved now; the run waiting on it, if any, was woken.
    case resolved(WaitToken)
    /// It was already completed or timed out; nothing changed.
    case alreadyResolved(WaitToken)
    /// No token has this id.
    case notFound
}
