import Foundation

extension AttemptCompletion {
    /// Whether the completion still applies to `run`: the run executes the same attempt and the
    /// guard holds (the same worker, or a lease that expired). Every store checks this in
    /// ``RunStore/completeAttempts(_:)``.
    public func applies(to run: RunRecord) -> Bool {
        guard run.status == .executing, run.attemptCount == attempt else { return false }
        switch self.guard {
        case .worker(let worker):
            return run.workerID == worker
        case .leaseExpired(let before):
            guard let lease = run.leaseExpiresAt else { return false }
            return lease < before
        }
    }
}

extension RunRecord {
    /// Applies an attempt's outcome: the shared state transition every store performs in
    /// ``RunStore/completeAttempts(_:)`` (stores that write columns directly must match it).
    public mutating func apply(_ completion: AttemptCompletion) {
        let now = completion.endedAt
        status = completion.status
        updatedAt = now
        workerID = nil
        leaseExpiresAt = nil
        executionTime += completion.executionTime
        if completion.outcome == .suspended { suspensions += 1 }
        if let error = completion.error { self.error = error }
        if let index = attempts.lastIndex(where: { $0.number == completion.attempt }) {
            attempts[index].end(completion)
        }
        switch completion.status {
        case .completed:
            completedAt = now
            result = completion.result
            resultNote = completion.resultNote
            error = nil
        case .canceled:
            canceledAt = now
        case .failed, .timedOut, .crashed, .expired:
            failedAt = now
        case .waiting:
            scheduledAt = completion.retryAt ?? .distantFuture
        case .retrying, .delayed, .queued:
            scheduledAt = completion.retryAt ?? now
        case .executing:
            break
        }
    }

    /// Marks a run that is not executing as canceled.
    public mutating func markCanceled(at now: Date) {
        status = .canceled
        canceledAt = now
        updatedAt = now
        error = RunError(type: "canceled", name: "Canceled", message: "the run was canceled")
    }

    /// Marks a run whose time to live passed as expired.
    public mutating func markExpired(at now: Date) {
        status = .expired
        failedAt = now
        updatedAt = now
        error = RunError(
            type: "expired", name: "Expired",
            message: "the run expired: its time to live ended at \(expiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? "?") before a worker started it"
        )
    }
}

extension AttemptRecord {
    /// Ends the attempt as `completion` reports it: the attempt's part of
    /// ``RunRecord/apply(_:)``, for stores that write the run's columns themselves.
    public mutating func end(_ completion: AttemptCompletion) {
        endedAt = completion.endedAt
        outcome = completion.outcome
        error = completion.error
    }
}
