import Foundation

extension RunContext {
    /// Triggers a child run and goes on without waiting for it (fire and forget). The child is
    /// linked to this run (``RunRecord/parentID``) and created once per run and `key` (default:
    /// `child-N`, numbered in call order): a retried or resumed run gets the same child back.
    /// Children nest at most ``RunRecord/maximumDepth`` levels below a run triggered from outside.
    @discardableResult
    public func trigger<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, _ payload: Payload, key: String? = nil, options: TriggerOptions = TriggerOptions()
    ) async throws -> RunID {
        try await triggerChild(TriggerRequest(task: task.name, payload: try PayloadCoding.encode(payload), options: options), key: key)
    }

    /// Triggers a child run by task name with a JSON payload, fire and forget (see
    /// ``trigger(_:_:key:options:)``).
    @discardableResult
    public func trigger(_ request: TriggerRequest, key: String? = nil) async throws -> RunID {
        try await triggerChild(request, key: key)
    }

    /// Triggers a child run and parks this run until the child is final, then returns the child's
    /// typed result, or throws ``ChildRunError`` when it did not complete. The child is created
    /// once per run and `key`; while it runs, this run is `waiting` and holds no worker or queue
    /// slot.
    public func triggerAndWait<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, _ payload: Payload, key: String? = nil, options: TriggerOptions = TriggerOptions()
    ) async throws -> Output {
        let request = TriggerRequest(task: task.name, payload: try PayloadCoding.encode(payload), options: options)
        return try await awaitChildren([request], key: key)[0].decode(Output.self).get()
    }

    /// Triggers one child run per payload and parks this run until all of them are final; returns
    /// each child's result or failure, in the order of `payloads`.
    public func batchTriggerAndWait<Payload, Output>(
        _ task: TaskDefinition<Payload, Output>, _ payloads: [Payload], key: String? = nil, options: TriggerOptions = TriggerOptions()
    ) async throws -> [Result<Output, ChildRunError>] {
        let requests = try payloads.map { TriggerRequest(task: task.name, payload: try PayloadCoding.encode($0), options: options) }
        return try await awaitChildren(requests, key: key).map { $0.decode(Output.self) }
    }

    /// 8base's `invokeFunction`: triggers task `name` with JSON `arguments` as a child run. With
    /// `waitForResponse`, parks this run until the child is final and returns its JSON result
    /// (throwing ``ChildRunError`` when it did not complete); without, returns `nil` at once.
    @discardableResult
    public func invokeFunction(_ name: String, _ arguments: Data, waitForResponse: Bool, key: String? = nil) async throws -> Data? {
        let request = TriggerRequest(task: name, payload: arguments)
        guard waitForResponse else {
            _ = try await triggerChild(request, key: key)
            return nil
        }
        let outcome = try await awaitChildren([request], key: key)[0]
        guard outcome.status == .completed else { throw outcome.failure }
        return outcome.output
    }

    private func triggerChild(_ request: TriggerRequest, key: String?) async throws -> RunID {
        let journal = try self.journal(for: "trigger")
        let path = try journal.claim(key ?? journal.automaticKey("child"))
        if let stored = try await journal.stored(path), let id = stored.childIDs.first { return id }
        let now = clock.now
        let ids = try await journal.errand.insertChildren([request], parent: journal, path: path, awaited: false, now: now)
        try await journal.record(StepRecord(
            key: path, kind: .child, status: .completed, startedAt: now, endedAt: now, childIDs: ids, attempt: attempt
        ))
        return ids[0]
    }

    /// Creates the children once, then returns their outcomes once all are final, parking the run
    /// until then. A child's outcome is its JSON result or its failure.
    private func awaitChildren(_ requests: [TriggerRequest], key: String?) async throws -> [ChildOutcome] {
        let journal = try self.journal(for: "triggerAndWait")
        let path = try journal.claim(key ?? journal.automaticKey("child"))
        let stored = try await journal.stored(path)
        if let stored, stored.status != .waiting, let output = stored.output {
            return try PayloadCoding.decode([ChildOutcome].self, from: output, field: "step \(path)")
        }
        let now = clock.now
        var ids = stored?.childIDs ?? []
        if ids.isEmpty {
            ids = try await journal.errand.insertChildren(requests, parent: journal, path: path, awaited: true, now: now)
            try await journal.record(StepRecord(key: path, kind: .child, status: .waiting, startedAt: now, childIDs: ids, attempt: attempt))
        }
        var outcomes: [ChildOutcome] = []
        for id in ids {
            guard let child = try await journal.store.run(id: id) else {
                throw ErrandError(code: .invalidState, message: "child run \(id) of step \"\(path)\" no longer exists (pruned?)", field: "key")
            }
            guard child.status.isFinal else { throw journal.suspend(until: nil, target: .children(ids)) }
            outcomes.append(ChildOutcome(child))
        }
        let failed = outcomes.contains { $0.status != .completed }
        try await journal.record(StepRecord(
            key: path, kind: .child, status: failed ? .failed : .completed, startedAt: stored?.startedAt ?? now, endedAt: clock.now,
            output: try PayloadCoding.encode(outcomes), childIDs: ids, attempt: attempt
        ))
        return outcomes
    }
}

/// A finished child's outcome as a parent's step stores it, so a replay needs no child record.
struct ChildOutcome: Codable, Sendable {
    var id: RunID
    var task: String
    var status: RunStatus
    var output: Data?
    var error: RunError?

    init(_ child: RunRecord) {
        id = child.id
        task = child.task
        status = child.status
        output = child.result
        error = child.error
    }

    /// The error a parent sees for a child that did not complete.
    var failure: ChildRunError { ChildRunError(childID: id, task: task, status: status, error: error) }

    /// The child's typed result, or its failure (also when its result does not decode).
    func decode<Output: Decodable>(_ type: Output.Type) -> Result<Output, ChildRunError> {
        guard status == .completed else { return .failure(failure) }
        do {
            return .success(try RunContext.decodeOutput(Output.self, output, path: "result of child run \(id)"))
        } catch {
            return .failure(ChildRunError(childID: id, task: task, status: status, error: RunError(error)))
        }
    }
}
