import Foundation

/// What the handler chain of one attempt produced, before the engine turns it into an outcome.
enum AttemptResult: Sendable {
    /// The handler returned: its output as JSON (`nil` for ``NoOutput``) and as the typed value.
    case success(json: Data?, value: any Sendable)
    /// The chain threw.
    case failure(any Error)
    /// The attempt was stopped before the chain returned.
    case interrupted(Interruption)
    /// The handler parked the run on a durable wait, a child run or a token.
    case suspended(RunSuspension)

    /// Whether the handler chain has returned (an interrupted handler may still be winding down).
    var handlerReturned: Bool {
        if case .interrupted = self { return false }
        return true
    }
}
