import Errand

/// A page of runs as `errand runs list --json` prints it.
struct RunPageView: Codable, Sendable {
    /// The runs, newest first (without attempts).
    var runs: [RunView]
    /// The cursor of the next page (`--cursor`), `null` on the last page.
    var nextCursor: String?

    /// The view of a page.
    init(_ page: RunPage) {
        runs = page.runs.map { RunView($0, includeAttempts: false) }
        nextCursor = page.nextCursor
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runs, forKey: .runs)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
