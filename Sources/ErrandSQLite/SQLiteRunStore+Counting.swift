import Errand
import GRDB

extension SQLiteRunStore: RunCounting {
    private static let runCountsSQL = "SELECT task, status, count(*) FROM runs GROUP BY task, status ORDER BY task, status"

    /// Counts the runs by task and status in one grouped query on a reader connection.
    public func runCounts() async throws -> [RunCount] {
        try await read { db in
            var counts: [RunCount] = []
            let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.runCountsSQL))
            while let row = try rows.next() {
                guard let status = RunStatus(rawValue: row[1]) else { continue }
                counts.append(RunCount(task: row[0], status: status, count: row[2]))
            }
            return counts
        }
    }
}
