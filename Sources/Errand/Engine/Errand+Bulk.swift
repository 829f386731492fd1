import Foundation

extension Errand {
    /// The most runs one bulk cancel or bulk replay acts on.
    public static let maximumBulkRuns = 10_000

    /// Cancels every unfinished run matching the query's filters (its `limit` and `cursor` are
    /// ignored), at most ``maximumBulkRuns``, like ``cancel(_:)`` one by one. Returns the ids of
    /// the runs canceled or asked to stop, newest first.
    ///
    /// - Throws: ``ErrandError`` (field `filter`) when the query has no filter at all, so a
    ///   forgotten filter never cancels everything.
    public func cancelRuns(matching query: RunQuery) async throws -> [RunID] {
        var query = try Self.bulkQuery(query)
        let unfinished = Set(RunStatus.allCases.filter { !$0.isFinal })
        query.statuses = query.statuses.map { $0.intersection(unfinished) } ?? unfinished
        if query.statuses?.isEmpty == true { return [] }
        var ids: [RunID] = []
        try await forEachPage(of: query) { runs in
            for run in runs where ids.count < Self.maximumBulkRuns {
                guard let record = try? await cancel(run.id) else { continue }  // pruned meanwhile
                if record.status == .canceled || (!record.status.isFinal && record.cancelRequestedAt != nil) { ids.append(run.id) }
            }
            return ids.count < Self.maximumBulkRuns
        }
        return ids
    }

    /// Replays every run matching the query's filters (its `limit` and `cursor` are ignored), at
    /// most ``maximumBulkRuns``, like ``replay(_:payload:)`` with the original payloads. Every
    /// replay is made and checked before any is stored, so a run that cannot be replayed (its
    /// task no longer registered, its payload no longer valid) fails the call, naming that run,
    /// with nothing stored; then they are stored a page (500) per transaction. Returns the new
    /// runs' ids, in the order of the originals (newest first).
    ///
    /// - Throws: ``ErrandError`` (field `filter`) when the query has no filter at all.
    public func replayRuns(matching query: RunQuery) async throws -> [RunID] {
        let query = try Self.bulkQuery(query)
        let now = clock.now
        var newRuns: [NewRun] = []
        try await forEachPage(of: query) { runs in
            for original in runs.prefix(Self.maximumBulkRuns - newRuns.count) {
                do {
                    newRuns.append(try makeRun(
                        TriggerRequest(task: original.task, payload: original.payload, options: TriggerOptions(
                            priority: original.priority, tags: original.tags, concurrencyKey: original.concurrencyKey, queue: original.queue
                        )),
                        now: now, replayOf: original.id
                    ))
                } catch let error as ErrandError {
                    throw ErrandError(
                        code: error.code, message: "cannot replay run \(original.id) (nothing was replayed): \(error.message)", field: error.field
                    )
                }
            }
            return newRuns.count < Self.maximumBulkRuns
        }
        var ids: [RunID] = []
        for start in stride(from: 0, to: newRuns.count, by: 500) {
            let page = Array(newRuns[start..<min(start + 500, newRuns.count)])
            let results = try await store.insertRuns(page, now: now)
            metrics.triggered(page)
            for run in page {
                publish(RunEvent(kind: .triggered, runID: run.id, task: run.task, status: run.scheduledAt > now ? .delayed : .queued, at: now))
            }
            ids.append(contentsOf: results.map(\.id))
        }
        if !ids.isEmpty { wakeWorkers() }
        return ids
    }

    /// Checks that a bulk query filters something and resets its page.
    private static func bulkQuery(_ query: RunQuery) throws -> RunQuery {
        guard query.task != nil || query.statuses != nil || query.tag != nil || query.createdFrom != nil || query.createdTo != nil else {
            throw ErrandError.invalidArgument(
                field: "filter", value: "{}",
                allowed: "give at least one of task, status, tag, createdAfter or createdBefore: an empty filter would match every run"
            )
        }
        var query = query
        query.cursor = nil
        query.limit = 500
        return query
    }

    /// Calls `body` with each page of runs matching `query` until it returns `false` or the last page.
    private func forEachPage(of query: RunQuery, _ body: ([RunRecord]) async throws -> Bool) async throws {
        var query = query
        while true {
            let page = try await store.listRuns(query)
            guard try await body(page.runs), let cursor = page.nextCursor else { return }
            query.cursor = cursor
        }
    }
}
