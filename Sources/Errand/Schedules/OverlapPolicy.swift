/// What a schedule does when an occurrence comes while the run of an earlier occurrence is still
/// unfinished (not yet in a final status: delayed, queued, executing, retrying or waiting).
///
/// Occurrences are handled in time order, so a catch-up of several occurrences at once overlaps
/// with itself: under ``skip`` only the first of them runs, under ``bufferOne`` the first runs
/// and the second waits.
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Every occurrence runs, overlapping or not. The default.
    case allow
    /// An occurrence that comes while the previous run is unfinished is dropped.
    case skip
    /// One occurrence that comes while the previous run is unfinished waits and runs as soon as
    /// that run finishes; further ones that come meanwhile are dropped (as in Temporal's
    /// `BUFFER_ONE`, the first buffered occurrence is kept).
    case bufferOne

    /// The default policy, ``allow``.
    public static let `default`: OverlapPolicy = .allow

    /// `allow`, `skip` or `bufferOne`.
    public var description: String { rawValue }

    /// Parses `allow`, `skip` or `bufferOne` (also `buffer-one`, `buffer_one`, any case).
    ///
    /// - Throws: ``ErrandError`` (`invalid_argument`, field `overlap`) naming the allowed values.
    public init(parsing text: String) throws {
        let folded = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        guard let policy = Self.allCases.first(where: { $0.rawValue.lowercased() == folded }) else {
            throw ErrandError.invalidArgument(field: "overlap", value: text, allowed: "allowed: allow, skip, bufferOne")
        }
        self = policy
    }
}
