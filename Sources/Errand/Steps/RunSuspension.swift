import Foundation

/// Thrown through a handler to park its run: the attempt ends `suspended`, the run becomes
/// `waiting` and its worker and queue slots are released until it is due again.
///
/// Handlers must let it pass: it is not a failure. Should a handler swallow it anyway, the
/// attempt still parks (the run's ``StepJournal`` remembers the request).
struct RunSuspension: Error, Sendable, Hashable, CustomStringConvertible {
    /// When the run is due again, `nil` for only when ``target`` is met.
    var until: Date?
    /// What the run waits for besides ``until``.
    var target: WaitTarget?

    var description: String {
        "the run is parked" + (until.map { " until \(ISO8601Timestamp.string(from: $0))" } ?? "") + (target.map { " waiting for \($0)" } ?? "")
    }
}
