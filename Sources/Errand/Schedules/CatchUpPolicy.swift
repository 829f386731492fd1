import Foundation

/// What a schedule does about occurrences it missed: while no scheduler ran (downtime, a deploy),
/// or while the scheduler was late.
///
/// An occurrence counts as *missed* when the scheduler handles it more than
/// ``SchedulerConfiguration/lateness`` after its time (10 seconds by default); a scheduler that is
/// merely a little late fires it as usual under every policy.
///
/// ```swift
/// try errand.every(report, rate: "1 hour", payload: Report(), catchUp: .all(within: .seconds(6 * 3600)))
/// ```
public enum CatchUpPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Missed occurrences are dropped: only an occurrence the scheduler handles on time runs, and
    /// the schedule goes on with its next future occurrence.
    case skip
    /// The latest missed occurrence runs once; earlier ones are dropped. The default.
    case latest
    /// Every missed occurrence no older than `within` runs, one run each, oldest first, at most
    /// ``maximumRuns`` per catch-up (the most recent ones); older ones are dropped.
    case all(within: Duration)

    /// The default policy, ``latest``.
    public static let `default`: CatchUpPolicy = .latest

    /// The most runs one catch-up under ``all(within:)`` creates for one schedule.
    public static let maximumRuns = 1000

    /// The longest window ``all(within:)`` accepts: 366 days.
    public static let maximumWindow: Duration = .seconds(366 * 86_400)

    /// `skip`, `latest` or `all(within: 3600s)`.
    public var description: String {
        switch self {
        case .skip: "skip"
        case .latest: "latest"
        case .all(let within): "all(within: \(Self.seconds(within))s)"
        }
    }

    /// The form stores keep: `skip`, `latest` or `all:SECONDS` (for example `all:3600`).
    public var storageText: String {
        switch self {
        case .skip: "skip"
        case .latest: "latest"
        case .all(let within): "all:\(Self.seconds(within))"
        }
    }

    /// Parses the ``storageText`` form: `skip`, `latest` or `all:SECONDS` (any case).
    ///
    /// - Throws: ``ErrandError`` (`invalid_argument`, field `catchUp`) naming the text and the
    ///   allowed forms.
    public init(storageText text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch trimmed {
        case "skip": self = .skip
        case "latest": self = .latest
        default:
            guard trimmed.hasPrefix("all:"), let seconds = Double(trimmed.dropFirst(4)), seconds.isFinite else {
                throw ErrandError.invalidArgument(
                    field: "catchUp", value: text, allowed: "allowed: skip, latest, or all:SECONDS (for example all:3600)"
                )
            }
            // Checked before converting: a huge number of seconds would overflow the milliseconds.
            guard seconds >= 1, seconds <= Self.maximumWindow.timeInterval else {
                throw ErrandError.invalidArgument(field: "catchUp", value: text, allowed: Self.windowRule)
            }
            self = .all(within: .milliseconds(Int64((seconds * 1000).rounded())))
        }
        try validate()
    }

    /// Checks the window of ``all(within:)``: at least one second, at most ``maximumWindow``.
    public func validate() throws {
        guard case .all(let within) = self else { return }
        guard within >= .seconds(1), within <= Self.maximumWindow else {
            // Shown from its seconds: `description` counts milliseconds, which overflow for a
            // window this far out of range.
            throw ErrandError.invalidArgument(field: "catchUp", value: "all(within: \(within.components.seconds) s)", allowed: Self.windowRule)
        }
    }

    /// What ``validate()`` allows for the window of ``all(within:)``.
    private static let windowRule = "the window of all(within:) must be between 1 second and 366 days"

    /// A duration in seconds, without a fraction when it is whole.
    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        if milliseconds % 1000 == 0 { return String(milliseconds / 1000) }
        return String(Double(milliseconds) / 1000)
    }
}
