import Errand

/// The newest-first pages of listings: rows are read with `LIMIT limit + 1`, so an extra row says
/// another page follows, whose cursor is the last kept row's sequence (as the SQLite store's).
enum Paging {
    /// The page size a query asks for, clamped to 1…1000.
    static func limit(_ requested: Int) -> Int { max(1, min(requested, 1000)) }

    /// The first `limit` rows and the next page's cursor (`nil` when no row was left over).
    static func page<Row>(_ rows: [Row], limit: Int, sequence: (Row) -> Int64) -> (rows: [Row], nextCursor: String?) {
        guard rows.count > limit else { return (rows, nil) }
        let kept = Array(rows.prefix(limit))
        return (kept, kept.last.map { RunQuery.cursor(afterSequence: sequence($0)) })
    }
}
