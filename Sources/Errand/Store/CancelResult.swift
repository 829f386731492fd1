/// What ``RunStore/cancelRun(id:now:)`` did.
public enum CancelResult: Sendable, Hashable {
    /// The run had not started (or was waiting) and is now `canceled`.
    case canceled(RunRecord)
    /// The run is executing: a cancel is recorded for its worker, which stops the attempt.
    case requested(RunRecord)
    /// The run had already finished; nothing changed.
    case alreadyFinal(RunRecord)
    /// No such run.
    case notFound
}
