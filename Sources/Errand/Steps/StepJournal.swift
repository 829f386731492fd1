import Foundation
import Synchronization

/// One attempt's view of its run's durable steps: the stored steps (read once, on first use),
/// the keys used so far in this attempt, and a pending request to park the run.
///
/// Step keys form a path: a step started inside another step's closure gets the outer key as a
/// prefix (`outer/inner`), through a task-local value, so nested steps replay independently.
final class StepJournal: Sendable {
    /// The path of the step whose closure is running, in the current task.
    @TaskLocal static var currentPath: [String] = []

    /// The deepest steps may nest.
    static let maximumNesting = 5

    let errand: Errand
    let runID: RunID
    let attempt: Int
    let depth: Int

    private struct State {
        var stored: [String: StepRecord]?
        var used: Set<String> = []
        var counters: [String: Int] = [:]
        var suspension: RunSuspension?
    }

    private let state = Mutex(State())

    init(errand: Errand, runID: RunID, attempt: Int, depth: Int) {
        self.errand = errand
        self.runID = runID
        self.attempt = attempt
        self.depth = depth
    }

    var store: any RunStore { errand.store }
    var clock: any WallClock { errand.clock }

    /// A key for a call made without one: `prefix-N`, numbered in call order within this attempt
    /// (the same order on every replay of a deterministic handler).
    func automaticKey(_ prefix: String) -> String {
        state.withLock { state in
            state.counters[prefix, default: 0] += 1
            return "\(prefix)-\(state.counters[prefix]!)"
        }
    }

    /// Validates `key`, makes it a path under the running step and marks it used in this attempt.
    func claim(_ key: String) throws -> String {
        guard !key.isEmpty, key.utf8.count <= 200, !key.contains("/") else {
            throw ErrandError.invalidArgument(field: "key", value: key, allowed: "a step key is 1 to 200 bytes without \"/\" (nested steps are joined with /)")
        }
        let path = Self.currentPath + [key]
        guard path.count <= Self.maximumNesting else {
            throw ErrandError(
                code: .invalidArgument,
                message: "step \"\(path.joined(separator: "/"))\" is nested \(path.count) levels deep; steps nest at most \(Self.maximumNesting) levels",
                field: "key"
            )
        }
        let joined = path.joined(separator: "/")
        try state.withLock { state in
            guard state.used.insert(joined).inserted else {
                throw ErrandError(
                    code: .invalidArgument,
                    message: "step key \"\(joined)\" is used twice in run \(runID): keys must be unique within a run",
                    field: "key"
                )
            }
        }
        return joined
    }

    /// The stored step with this path, reading the run's steps from the store on first use.
    func stored(_ path: String) async throws -> StepRecord? {
        if let stored = state.withLock({ $0.stored }) { return stored[path] }
        let steps = try await store.steps(runID: runID)
        let loaded = Dictionary(steps.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        return state.withLock { state in
            if state.stored == nil { state.stored = loaded }
            return state.stored?[path]
        }
    }

    /// Stores a step; throws when this attempt no longer holds the run.
    func record(_ step: StepRecord) async throws {
        guard try await store.saveStep(step, runID: runID, attempt: attempt) else {
            throw ErrandError(
                code: .invalidState,
                message: "run \(runID) attempt \(attempt) is no longer executing; step \"\(step.key)\" was not recorded"
            )
        }
        state.withLock { $0.stored?[step.key] = step }
    }

    /// Parks the run: remembers the request (so a handler that swallows the error still parks) and
    /// returns the error to throw.
    func suspend(until: Date?, target: WaitTarget?) -> RunSuspension {
        let suspension = RunSuspension(until: until, target: target)
        state.withLock { state in
            if state.suspension == nil { state.suspension = suspension }
        }
        return suspension
    }

    /// The first request to park the run made in this attempt.
    var suspension: RunSuspension? { state.withLock { $0.suspension } }
}
