extension Errand {
    /// A run's log lines after line `index` (0 for all), in order, at most `limit` (1…1000).
    /// A run keeps at most ``RunLogLine/maximumPerRun`` lines (see ``RunStore/appendLogs(_:)``).
    public func logs(of runID: RunID, after index: Int = 0, limit: Int = 1000) async throws -> [RunLogLine] {
        guard (1...1000).contains(limit) else {
            throw ErrandError.invalidArgument(field: "limit", value: String(limit), allowed: "must be between 1 and 1000")
        }
        guard index >= 0 else {
            throw ErrandError.invalidArgument(field: "after", value: String(index), allowed: "a line index, 0 or more")
        }
        return try await store.logs(runID: runID, after: index, limit: limit)
    }
}
