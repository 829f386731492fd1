import Foundation

extension Errand {
    /// Creates child runs of the run `parent` journals, once per parent and step `path`: each
    /// child's idempotency key is made of the parent's id and the path, and never expires.
    func insertChildren(_ requests: [TriggerRequest], parent: StepJournal, path: String, awaited: Bool, now: Date) async throws -> [RunID] {
        let depth = parent.depth + 1
        guard depth <= RunRecord.maximumDepth else {
            throw ErrandError(
                code: .depthExceeded,
                message: "run \(parent.runID) is nested \(parent.depth) levels deep, so its child would be \(depth) levels deep; child runs nest at most \(RunRecord.maximumDepth) levels below a run triggered from outside",
                field: "depth"
            )
        }
        var runs: [NewRun] = []
        for (index, request) in requests.enumerated() {
            var run = try makeRun(request, now: now, parentID: parent.runID)
            run.idempotencyKey = requests.count == 1 ? "\(parent.runID)/\(path)" : "\(parent.runID)/\(path)#\(index)"
            run.idempotencyExpiresAt = .distantFuture
            run.depth = depth
            run.awaited = awaited
            runs.append(run)
        }
        return try await insertNewRuns(runs, now: now)
    }
}
