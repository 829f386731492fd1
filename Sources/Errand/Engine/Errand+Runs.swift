import Foundation

extension Errand {
    /// A run's state: its status, the Ampt state fields and its attempts; `nil` for an unknown id.
    public func state(_ id: RunID) async throws -> RunRecord? {
        try await store.run(id: id)
    }

    /// Runs matching the filters, newest first, a page at a time.
    public func runs(_ query: RunQuery = RunQuery()) async throws -> RunPage {
        guard (1...1000).contains(query.limit) else {
            throw ErrandError.invalidArgument(field: "limit", value: String(query.limit), allowed: "must be between 1 and 1000")
        }
        return try await store.listRuns(query)
    }

    /// Cancels a run. A delayed, queued, retrying or waiting run is canceled at once; an executing
    /// one is asked to stop (its handler's task is cancelled) and recorded as canceled when its
    /// attempt ends. Returns the run as it is after the call. Throws for an unknown id.
    ///
    /// Cancelling a run also cancels its unfinished child runs, and theirs.
    @discardableResult
    public func cancel(_ id: RunID) async throws -> RunRecord {
        let record = try await cancelOne(id)
        try await cancelChildren(of: id)
        return record
    }

    private func cancelChildren(of parentID: RunID) async throws {
        var cursor: String?
        repeat {
            let page = try await store.listRuns(RunQuery(statuses: RunStatus.unfinished, limit: 500, cursor: cursor, parentID: parentID))
            for child in page.runs {
                _ = try await cancelOne(child.id)
                try await cancelChildren(of: child.id)
            }
            cursor = page.nextCursor
        } while cursor != nil
    }

    private func cancelOne(_ id: RunID) async throws -> RunRecord {
        let now = clock.now
        switch try await store.cancelRun(id: id, now: now) {
        case .notFound:
            throw ErrandError.runNotFound(id)
        case .alreadyFinal(let record):
            return record
        case .canceled(let record):
            await runFinished(record, value: nil)
            return record
        case .requested(let record):
            interruptLocalAttempt(id, reason: .canceled)
            return record
        }
    }

    /// Replays a run: triggers a new run of the same task, linked to the original
    /// (``RunRecord/replayOf``), with the original's payload or a new one.
    @discardableResult
    public func replay(_ id: RunID, payload: Data? = nil) async throws -> RunID {
        guard let original = try await store.run(id: id) else { throw ErrandError.runNotFound(id) }
        let options = TriggerOptions(
            priority: original.priority, tags: original.tags, concurrencyKey: original.concurrencyKey, queue: original.queue
        )
        let now = clock.now
        let run = try makeRun(
            TriggerRequest(task: original.task, payload: payload ?? original.payload, options: options),
            now: now, replayOf: original.id
        )
        return try await insertNewRuns([run], now: now)[0]
    }

    /// Waits until a run reaches a final status and returns it, listening to this process's run
    /// events (no polling loop on the store). For runs executed by another process, it re-reads the
    /// store every `pollInterval`.
    public func waitForCompletion(_ id: RunID, pollInterval: Duration = .seconds(1)) async throws -> RunRecord {
        let events = bus.subscribe(.finalStatus(of: id))
        guard let first = try await store.run(id: id) else { throw ErrandError.runNotFound(id) }
        if first.status.isFinal { return first }
        return try await withThrowingTaskGroup(of: RunRecord?.self) { group in
            group.addTask {
                for await _ in events {
                    return try await self.store.run(id: id)
                }
                return nil
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: pollInterval)
                    if let record = try await self.store.run(id: id), record.status.isFinal { return record }
                }
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }
}
