extension MemoryRunStore: RunCounting {
    /// Counts the runs in memory by task and status.
    public func runCounts() async throws -> [RunCount] {
        state.withLock { state in
            var counts: [RunCount.Key: Int] = [:]
            for run in state.runs.values { counts[RunCount.Key(task: run.task, status: run.status), default: 0] += 1 }
            return counts.map { RunCount(task: $0.key.task, status: $0.key.status, count: $0.value) }
                .sorted { ($0.task, $0.status.rawValue) < ($1.task, $1.status.rawValue) }
        }
    }
}

extension RunCount {
    /// A (task, status) pair, for stores that count in memory.
    struct Key: Hashable {
        var task: String
        var status: RunStatus
    }
}
