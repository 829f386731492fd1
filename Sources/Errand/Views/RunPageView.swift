import Foundation


/// A page of runs as `errand runs list --json` prints it.
public struct RunPageView: Codable, Sendable {
    /// The runs, newest first (without attempts).
    public var runs: [RunView]
    /// The cursor of the next page (`--cursor`), `null` on the last page.
    public var nextCursor: String?

    /// The view of a page.
    public init(_ page: RunPage) {
        runs = page.runs.map { RunView($0, includeAttempts: false) }
        nextCursor = page.nextCursor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runs, forKey: .runs)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
