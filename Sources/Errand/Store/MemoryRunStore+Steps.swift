import Foundation

extension MemoryRunStore {
    public func steps(runID: RunID) async throws -> [StepRecord] {
        state.withLock { $0.steps[runID] ?? [] }
    }

    public func saveStep(_ step: StepRecord, runID: RunID, attempt: Int) async throws -> Bool {
        state.withLock { state in
            guard let run = state.runs[runID], run.status == .executing, run.attemptCount == attempt else { return false }
            var steps = state.steps[runID] ?? []
            if let index = steps.firstIndex(where: { $0.key == step.key }) {
                steps[index] = step
            } else {
                steps.append(step)
            }
            state.steps[runID] = steps
            return true
        }
    }

    public func createToken(_ token: WaitToken) async throws -> WaitToken {
        state.withLock { state in
            if let key = token.idempotencyKey, let existingID = state.tokenKeys[key], let existing = state.tokens[existingID] {
                return existing
            }
            state.tokens[token.id] = token
            if let key = token.idempotencyKey { state.tokenKeys[key] = token.id }
            return token
        }
    }

    public func token(id: String) async throws -> WaitToken? {
        state.withLock { $0.tokens[id] }
    }

    public func resolveToken(id: String, resolution: TokenResolution, now: Date) async throws -> TokenResolveResult {
        state.withLock { state in
            guard var token = state.tokens[id] else { return .notFound }
            guard token.status == .pending else { return .alreadyResolved(token) }
            token.apply(resolution, at: now)
            state.tokens[id] = token
            var waiters = Set(token.runID.map { [$0] } ?? [])
            for (runID, steps) in state.steps where steps.contains(where: { $0.tokenID == id && $0.status == .waiting }) {
                waiters.insert(runID)
            }
            for runID in waiters {
                guard var run = state.runs[runID], run.status == .waiting else { continue }
                run.scheduledAt = now
                run.updatedAt = now
                state.runs[runID] = run
            }
            return .resolved(token)
        }
    }

    /// Whether what a parking run waits for has already happened.
    static func isMet(_ target: WaitTarget, in state: State) -> Bool {
        switch target {
        case .children(let ids):
            ids.allSatisfy { state.runs[$0]?.status.isFinal ?? true }
        case .token(let id):
            state.tokens[id].map { $0.status != .pending } ?? true
        }
    }

    /// Makes a waiting parent due once its last unfinished awaited child became final.
    static func wakeParent(of child: RunRecord, now: Date, in state: inout State) {
        guard child.status.isFinal, child.awaited, let parentID = child.parentID,
              var parent = state.runs[parentID], parent.status == .waiting
        else { return }
        let unfinished = (state.children[parentID] ?? []).contains { id in
            guard let sibling = state.runs[id] else { return false }
            return sibling.awaited && !sibling.status.isFinal
        }
        guard !unfinished else { return }
        parent.scheduledAt = now
        parent.updatedAt = now
        state.runs[parentID] = parent
    }

    /// Drops a pruned run's steps, tokens and child links.
    static func forgetDurableState(of run: RunRecord, in state: inout State) {
        state.steps[run.id] = nil
        state.logs[run.id] = nil
        state.children[run.id] = nil
        if let parentID = run.parentID { state.children[parentID]?.removeAll { $0 == run.id } }
        for (id, token) in state.tokens where token.runID == run.id {
            state.tokens[id] = nil
            if let key = token.idempotencyKey, state.tokenKeys[key] == id { state.tokenKeys[key] = nil }
        }
    }
}

extension WaitToken {
    /// Applies a resolution to a pending token.
    public mutating func apply(_ resolution: TokenResolution, at now: Date) {
        switch resolution {
        case .complete(let value):
            status = .completed
            self.value = value
        case .timeOut:
            status = .timedOut
        }
        resolvedAt = now
    }
}
