import Errand

extension PostgresRunStore: RunCounting {
    /// Counts the runs by task and status in one grouped query.
    public func runCounts() async throws -> [RunCount] {
        try await session { [self] session in
            try await session.map(
                "SELECT task, status, count(*) FROM \(unescaped: tables.runs) GROUP BY task, status ORDER BY task, status"
            ) { row in (try row.string(0), RunStatus(rawValue: try row.string(1)), try row.int(2)) }
        }.compactMap { task, status, count in status.map { RunCount(task: task, status: $0, count: count) } }
    }
}
