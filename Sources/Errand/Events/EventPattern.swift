/// A pattern of event names a task subscribes to.
///
/// Rules:
/// - Names and patterns are made of segments separated by `.` or `:`; the two separators are
///   equivalent, so `user.created` and the Ampt form `created:user:42` are both names.
/// - In a pattern, `*` matches exactly one segment and `**` matches any number of segments
///   (also none); any other segment matches itself exactly (case-sensitive).
/// - Examples: `user.created` matches only `user.created`; `user.*` matches `user.created` and
///   `user.deleted` but not `user` or `user.email.changed`; `user.**` matches all of those;
///   `created:user:*` matches `created:user:42`.
public struct EventPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    private let segments: [Segment]

    private enum Segment: Hashable {
        case literal(Substring)
        case one
        case any
    }

    /// Parses a pattern; throws an error naming the problem for an empty segment or a segment that
    /// mixes `*` with other characters.
    public init(_ text: String) throws {
        let parts = EventName.segments(of: text)
        guard !text.isEmpty, text.utf8.count <= 200, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ErrandError.invalidArgument(
                field: "pattern", value: text,
                allowed: "1 to 200 bytes of segments separated by . or :, none of them empty (e.g. user.created, user.*, created:user:*)"
            )
        }
        segments = try parts.map { part -> Segment in
            switch part {
            case "*": return Segment.one
            case "**": return Segment.any
            default:
                guard !part.contains("*") else {
                    throw ErrandError.invalidArgument(
                        field: "pattern", value: text,
                        allowed: "* stands for one whole segment and ** for any number of segments; \"\(part)\" mixes * with text"
                    )
                }
                return Segment.literal(part)
            }
        }
        self.text = text
    }

    /// Whether an event name matches the pattern.
    public func matches(_ name: String) -> Bool {
        Self.match(segments[...], EventName.segments(of: name)[...])
    }

    private static func match(_ pattern: ArraySlice<Segment>, _ name: ArraySlice<Substring>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        switch first {
        case .any:
            let rest = pattern.dropFirst()
            for skip in 0...name.count where match(rest, name.dropFirst(skip)) { return true }
            return false
        case .one:
            return !name.isEmpty && match(pattern.dropFirst(), name.dropFirst())
        case .literal(let literal):
            return name.first == literal && match(pattern.dropFirst(), name.dropFirst())
        }
    }

    public var description: String { text }
}

/// Rules for published event names.
public enum EventName {
    /// Checks a name: 1 to 200 bytes of non-empty segments separated by `.` or `:`, without `*`.
    public static func validate(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 200, !name.contains("*"), segments(of: name).allSatisfy({ !$0.isEmpty }),
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " })
        else {
            throw ErrandError.invalidArgument(
                field: "name", value: name,
                allowed: "an event name is 1 to 200 bytes of segments separated by . or : (e.g. user.created or created:user:42), without *, spaces or empty segments"
            )
        }
    }

    static func segments(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == ":" })
    }
}
