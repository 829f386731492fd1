import Foundation

/// The lifecycle hooks of one task, typed by its payload and output.
///
/// Order within an attempt: `initialize` → `middleware` (wrapping) → the handler → `cleanup`
/// (always). Per run: `onStart` once, before the first attempt; `onSuccess` when it completes;
/// `onFailure` when it fails for good (after its retries); `onComplete` with every final outcome
/// (completed, failed, canceled, timed out, crashed, expired). `handleError` decides about each
/// thrown error. Errors thrown by `onStart`, `onSuccess`, `onFailure` and `onComplete` are logged and
/// ignored; errors in `initialize`, `middleware` and `cleanup` fail the attempt.
/// Trigger.dev's names map as: `init` → ``initialize``, the others are the same.
public struct TaskHooks<Payload: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    /// Before each attempt; its output is ``RunContext/initOutput`` for the rest of the attempt.
    public var initialize: (@Sendable (Payload, RunContext) async throws -> (any Sendable)?)?
    /// Wraps the handler: call `next` to run it.
    public var middleware: (@Sendable (Payload, RunContext, _ next: @Sendable () async throws -> Void) async throws -> Void)?
    /// After each attempt, whatever its outcome.
    public var cleanup: (@Sendable (Payload, RunContext) async throws -> Void)?
    /// Once per run, before the first attempt.
    public var onStart: (@Sendable (Payload, RunContext) async throws -> Void)?
    /// When the run completed.
    public var onSuccess: (@Sendable (Payload, Output, RunRecord) async throws -> Void)?
    /// When the run failed for good (failed, timed out, crashed).
    public var onFailure: (@Sendable (Payload, RunRecord) async throws -> Void)?
    /// Decides what to do with an error an attempt threw; `nil` = follow the retry policy.
    public var handleError: (@Sendable (Payload, any Error, RunContext) async -> ErrorDecision?)?
    /// With every final outcome.
    public var onComplete: (@Sendable (RunRecord) async throws -> Void)?

    /// Whether a hook runs after an outcome is recorded (`onSuccess`, `onFailure`, `onComplete`).
    var hasOutcomeHooks: Bool { onSuccess != nil || onFailure != nil || onComplete != nil }

    /// Creates hooks.
    public init(
        initialize: (@Sendable (Payload, RunContext) async throws -> (any Sendable)?)? = nil,
        middleware: (@Sendable (Payload, RunContext, _ next: @Sendable () async throws -> Void) async throws -> Void)? = nil,
        cleanup: (@Sendable (Payload, RunContext) async throws -> Void)? = nil,
        onStart: (@Sendable (Payload, RunContext) async throws -> Void)? = nil,
        onSuccess: (@Sendable (Payload, Output, RunRecord) async throws -> Void)? = nil,
        onFailure: (@Sendable (Payload, RunRecord) async throws -> Void)? = nil,
        handleError: (@Sendable (Payload, any Error, RunContext) async -> ErrorDecision?)? = nil,
        onComplete: (@Sendable (RunRecord) async throws -> Void)? = nil
    ) {
        self.initialize = initialize
        self.middleware = middleware
        self.cleanup = cleanup
        self.onStart = onStart
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.handleError = handleError
        self.onComplete = onComplete
    }
}

/// Hooks for every task (Trigger.dev's hooks in `trigger.config.ts`), working on JSON payloads.
///
/// Global `initialize` and `middleware` run outside the task's own; global `cleanup`, `onSuccess`,
/// `onFailure` and `onComplete` run after the task's; global `handleError` is asked when the task's
/// returned `nil`.
public struct GlobalHooks: Sendable {
    /// Before each attempt of any task.
    public var initialize: (@Sendable (RunContext) async throws -> Void)?
    /// Wraps every handler.
    public var middleware: (@Sendable (RunContext, _ next: @Sendable () async throws -> Void) async throws -> Void)?
    /// After each attempt of any task.
    public var cleanup: (@Sendable (RunContext) async throws -> Void)?
    /// Once per run of any task.
    public var onStart: (@Sendable (RunContext) async throws -> Void)?
    /// When any run completed.
    public var onSuccess: (@Sendable (RunRecord) async throws -> Void)?
    /// When any run failed for good.
    public var onFailure: (@Sendable (RunRecord) async throws -> Void)?
    /// Decides about errors the task's own `handleError` left to the policy.
    public var handleError: (@Sendable (any Error, RunContext) async -> ErrorDecision?)?
    /// With every final outcome of any run.
    public var onComplete: (@Sendable (RunRecord) async throws -> Void)?

    /// Whether a hook runs after an outcome is recorded (`onSuccess`, `onFailure`, `onComplete`).
    var hasOutcomeHooks: Bool { onSuccess != nil || onFailure != nil || onComplete != nil }

    /// Creates global hooks.
    public init(
        initialize: (@Sendable (RunContext) async throws -> Void)? = nil,
        middleware: (@Sendable (RunContext, _ next: @Sendable () async throws -> Void) async throws -> Void)? = nil,
        cleanup: (@Sendable (RunContext) async throws -> Void)? = nil,
        onStart: (@Sendable (RunContext) async throws -> Void)? = nil,
        onSuccess: (@Sendable (RunRecord) async throws -> Void)? = nil,
        onFailure: (@Sendable (RunRecord) async throws -> Void)? = nil,
        handleError: (@Sendable (any Error, RunContext) async -> ErrorDecision?)? = nil,
        onComplete: (@Sendable (RunRecord) async throws -> Void)? = nil
    ) {
        self.initialize = initialize
        self.middleware = middleware
        self.cleanup = cleanup
        self.onStart = onStart
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.handleError = handleError
        self.onComplete = onComplete
    }
}
