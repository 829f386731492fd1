/// Who or what triggered a run (Extra Horizon's `createdByApplicationId` / `createdByUserId`).
///
/// Surfaces set it: the HTTP API records the API key's name (never its secret), the CLI the user
/// running it; the engine records the parent run, the schedule occurrence, the event or the
/// replayed run itself. Runs can be listed by origin (``RunQuery/origin``).
public struct RunOrigin: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The kind of origin.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// The Swift API of an app, with no more detail (the default).
        case app
        /// An HTTP request authenticated by an API key; the reference is the key's name.
        case apiKey
        /// The `errand` CLI; the reference is the user running it.
        case cli
        /// The dashboard, as a logged-in session; the reference is the key's name.
        case dashboard
        /// A parent run (`ctx.trigger`, `triggerAndWait`); the reference is the parent's id.
        case parent
        /// A schedule; the reference is the schedule's id.
        case schedule
        /// A published event; the reference is the event's id.
        case event
        /// A replay; the reference is the replayed run's id.
        case replay
    }

    /// The kind.
    public var kind: Kind
    /// The key name, user, run, schedule or event id; `nil` when there is none.
    public var reference: String?

    /// An origin.
    public init(_ kind: Kind, _ reference: String? = nil) {
        self.kind = kind
        self.reference = reference
    }

    /// The default origin of a run triggered through the Swift API.
    public static let app = RunOrigin(.app)

    /// `kind` or `kind:reference`, the form the CLI and the API filter accept.
    public var description: String { reference.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }

    /// Parses `kind` or `kind:reference`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first, let kind = Kind(rawValue: first) else {
            throw ErrandError.invalidArgument(
                field: "origin", value: text,
                allowed: "kind or kind:reference, kind one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self.init(kind, parts.count == 2 ? parts[1] : nil)
    }
}
