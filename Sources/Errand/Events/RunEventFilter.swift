/// Which run events a subscription to ``Errand/events(_:)`` receives: an event passes when each
/// part that is set holds for it.
///
/// The engine checks the filter as it publishes, so a subscriber that wants few events (one run's
/// final state, say) is not woken for every event of every run, and an event no subscriber wants
/// is not built at all.
///
/// ```swift
/// for await event in errand.events(.finalStatus(of: id)) { … }
/// ```
public struct RunEventFilter: Sendable, Hashable {
    /// The kinds of event wanted; `nil` for every kind.
    public var kinds: Set<RunEvent.Kind>?
    /// The run the events must be about; `nil` for every run.
    public var runID: RunID?
    /// The statuses the run must be in (``RunEvent/status``); `nil` for every status.
    public var statuses: Set<RunStatus>?

    /// A filter; every part left `nil` lets every event through.
    public init(kinds: Set<RunEvent.Kind>? = nil, runID: RunID? = nil, statuses: Set<RunStatus>? = nil) {
        self.kinds = kinds
        self.runID = runID
        self.statuses = statuses
    }

    /// Every event.
    public static let all = RunEventFilter()

    /// The events that report a final status (``RunStatus/isFinal``): of the run `id`, or of
    /// every run when `id` is `nil`.
    public static func finalStatus(of id: RunID? = nil) -> RunEventFilter {
        RunEventFilter(runID: id, statuses: Set(RunStatus.finalStatuses))
    }

    /// Whether `event` passes.
    public func includes(_ event: RunEvent) -> Bool {
        if let kinds, !kinds.contains(event.kind) { return false }
        if let runID, runID != event.runID { return false }
        if let statuses, !statuses.contains(event.status) { return false }
        return true
    }

    /// Whether some event of `kind` could pass (checked before an event is built).
    func mayInclude(_ kind: RunEvent.Kind) -> Bool {
        kinds?.contains(kind) ?? true
    }
}
