import Foundation

/// A log line of a run: written by a handler through ``RunContext/logger``, or a line a command
/// task wrote to standard error.
///
/// A store keeps at most ``maximumPerRun`` lines per run; the line that reaches the bound is
/// replaced by a marker saying later lines were dropped (``isTruncationMarker``). Lines are
/// pruned with their run.
public struct RunLogLine: Codable, Sendable, Hashable {
    /// The run.
    public var runID: RunID
    /// The attempt that wrote it.
    public var attempt: Int
    /// Its position in the run's log, from 1 (set by the store).
    public var index: Int
    /// The level: `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var level: String
    /// The message, at most ``maximumMessageBytes`` (longer ones are cut, with `…`).
    public var message: String
    /// The metadata, flattened to strings.
    public var metadata: [String: String]
    /// When it was written.
    public var at: Date

    /// The most lines a store keeps per run.
    public static let maximumPerRun = 1_000
    /// The longest message kept, in bytes.
    public static let maximumMessageBytes = 8_192
    /// The message of the marker that replaces the lines past the bound.
    public static let truncationMessage = "log truncated: a run keeps at most \(maximumPerRun) lines; later lines were dropped"

    /// A line (its ``index`` is assigned when stored).
    public init(runID: RunID, attempt: Int, index: Int = 0, level: String, message: String, metadata: [String: String] = [:], at: Date) {
        self.runID = runID
        self.attempt = attempt
        self.index = index
        self.level = level
        self.message = message.utf8.count > Self.maximumMessageBytes
            ? String(decoding: message.utf8.prefix(Self.maximumMessageBytes), as: UTF8.self) + "…" : message
        self.metadata = metadata
        self.at = at
    }

    /// Whether this is the marker a store writes in place of the lines past the bound.
    public var isTruncationMarker: Bool { index == Self.maximumPerRun && message == Self.truncationMessage }

    /// The marker stored as line ``maximumPerRun`` of a run whose log reached the bound.
    public static func truncationMarker(runID: RunID, attempt: Int, at: Date) -> RunLogLine {
        RunLogLine(runID: runID, attempt: attempt, index: maximumPerRun, level: "warning", message: truncationMessage, at: at)
    }
}
