/// The last bytes of a command's standard error, kept on line boundaries, for the error message
/// of a failed attempt.
struct StderrTail: Sendable {
    /// The most bytes kept.
    let limit: Int
    private var lines: [String] = []
    private var size = 0

    init(limit: Int = 4096) {
        self.limit = limit
    }

    /// Adds a line, dropping the oldest lines beyond the limit (a single longer line keeps its end).
    mutating func append(_ line: String) {
        var line = line
        if line.utf8.count > limit {
            line = "…" + String(decoding: line.utf8.suffix(limit - 3), as: UTF8.self)
        }
        lines.append(line)
        size += line.utf8.count + 1
        while size > limit, !lines.isEmpty {
            size -= lines.removeFirst().utf8.count + 1
        }
    }

    /// The kept lines, joined by line breaks.
    var text: String { lines.joined(separator: "\n") }
}
