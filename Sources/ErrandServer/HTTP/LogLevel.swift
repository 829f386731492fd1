/// The levels of run log lines, lowest first, for the `level` filter (a minimum level).
enum LogLevel {
    /// `trace` … `critical`.
    static let names = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The rank of a level name (a name not among ``names`` ranks lowest).
    static func rank(_ name: String) -> Int { names.firstIndex(of: name) ?? 0 }

    /// The rank of the `level` parameter; 400 naming `level` and the allowed values when unknown.
    static func minimum(_ text: String?) throws -> Int {
        guard let text else { return 0 }
        guard let rank = names.firstIndex(of: text) else {
            throw APIError.invalid("level", "invalid level \"\(text)\": allowed are \(names.joined(separator: ", "))")
        }
        return rank
    }
}
