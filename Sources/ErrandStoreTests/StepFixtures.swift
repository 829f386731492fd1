import Errand
import Foundation
import Testing

// Shared fixtures of the checks of steps, parked runs, child runs and tokens.

/// A child run of `parent` to insert: awaited or not, one level deeper.
func makeChild(of parent: RunRecord, awaited: Bool = true, due: Date = t0, expiresAt: Date? = nil) -> NewRun {
    NewRun(
        task: "child", queue: "children", payload: Data("{}".utf8), scheduledAt: due, expiresAt: expiresAt,
        parentID: parent.id, depth: parent.depth + 1, awaited: awaited
    )
}

/// A step of attempt `attempt` with defaults for everything a check does not care about.
func makeStep(
    _ key: String, kind: StepKind = .step, status: StepStatus = .completed, startedAt: Date = at(1), output: Data? = Data("1".utf8),
    attempt: Int = 1
) -> StepRecord {
    StepRecord(key: key, kind: kind, status: status, startedAt: startedAt, endedAt: status == .waiting ? nil : startedAt, output: output, attempt: attempt)
}

/// A completion that parks a claimed run (status `waiting`, outcome `suspended`) until `until`
/// (`nil`: until woken), waiting for `target`.
func park(_ run: RunRecord, at end: Date, until: Date? = nil, for target: WaitTarget? = nil) -> AttemptCompletion {
    var parked = completion(of: run, .waiting, at: end, retryAt: until)
    parked.error = nil
    parked.waitingFor = target
    return parked
}

extension RunStore {
    /// Inserts and claims a parent run (queue `parents`), returning it as claimed.
    func claimedParent(now: Date = t0, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RunRecord {
        try await insert([makeRun(queue: "parents", due: now)], now: now, sourceLocation: sourceLocation)
        return try await claimOne(queues: ["parents"], now: now, sourceLocation: sourceLocation)
    }

    /// Inserts children of `parent` at `now`, returning their ids.
    @discardableResult
    func insertChildren(
        of parent: RunRecord, awaited: [Bool], now: Date = t0, expiresAt: Date? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [RunID] {
        try await insert(awaited.map { makeChild(of: parent, awaited: $0, due: now, expiresAt: expiresAt) }, now: now, sourceLocation: sourceLocation)
    }

    /// Claims the children waiting in queue `children`.
    func claimChildren(now: Date, lease: TimeInterval = 30) async throws -> [RunRecord] {
        try await claim("w2", queues: ["children"], now: now, lease: lease)
    }
}
