import Foundation

extension RunContext {
    /// Creates a wait token owned by this run, once per run and `key` (default: `token-N`): a
    /// resumed run gets the same token back. Hand its id to whoever will complete it (an email
    /// link, a ticket), then wait with ``waitForToken(_:as:key:)``.
    public func createToken(key: String? = nil, timeout: Duration? = nil, idempotencyKey: String? = nil) async throws -> WaitToken {
        let journal = try self.journal(for: "createToken")
        let path = try journal.claim(key ?? journal.automaticKey("token"))
        if let stored = try await journal.stored(path), let id = stored.tokenID, let token = try await journal.store.token(id: id) {
            return token
        }
        let now = clock.now
        let token = try await journal.errand.storeToken(
            runID: runID, idempotencyKey: idempotencyKey ?? "\(runID)/\(path)", timeout: timeout, now: now
        )
        try await journal.record(StepRecord(
            key: path, kind: .token, status: .completed, startedAt: now, endedAt: now, wakeAt: token.expiresAt, tokenID: token.id,
            attempt: attempt
        ))
        return token
    }

    /// Parks this run until `token` is completed, then returns the value it was completed with,
    /// decoded as `T`. When the token's timeout passes first, throws ``WaitTokenTimeoutError``,
    /// which the handler may catch. While it waits the run is `waiting` and holds no slot.
    public func waitForToken<T: Decodable & Sendable>(_ token: WaitToken, as type: T.Type = T.self, key: String? = nil) async throws -> T {
        let journal = try self.journal(for: "waitForToken")
        let path = try journal.claim(key ?? "wait-\(token.id)")
        let stored = try await journal.stored(path)
        if let stored, stored.status == .completed { return try Self.decodeOutput(T.self, stored.output, path: path) }
        if let stored, stored.status == .failed { throw WaitTokenTimeoutError(tokenID: token.id) }
        let now = clock.now
        guard var current = try await journal.store.token(id: token.id) else {
            throw ErrandError(code: .tokenNotFound, message: "no wait token has the id \(token.id)", field: "token")
        }
        if current.status == .pending, let expiresAt = current.expiresAt, expiresAt <= now {
            switch try await journal.store.resolveToken(id: current.id, resolution: .timeOut, now: now) {
            case .resolved(let resolved), .alreadyResolved(let resolved): current = resolved
            case .notFound: throw ErrandError(code: .tokenNotFound, message: "no wait token has the id \(token.id)", field: "token")
            }
        }
        let startedAt = stored?.startedAt ?? now
        switch current.status {
        case .completed:
            try await journal.record(StepRecord(
                key: path, kind: .token, status: .completed, startedAt: startedAt, endedAt: now, output: current.value,
                tokenID: current.id, attempt: attempt
            ))
            return try Self.decodeOutput(T.self, current.value, path: path)
        case .timedOut:
            let error = WaitTokenTimeoutError(tokenID: current.id)
            try await journal.record(StepRecord(
                key: path, kind: .token, status: .failed, startedAt: startedAt, endedAt: now, error: RunError(error),
                tokenID: current.id, attempt: attempt
            ))
            throw error
        case .pending:
            if stored == nil {
                try await journal.record(StepRecord(
                    key: path, kind: .token, status: .waiting, startedAt: startedAt, wakeAt: current.expiresAt, tokenID: current.id,
                    attempt: attempt
                ))
            }
            throw journal.suspend(until: current.expiresAt, target: .token(current.id))
        }
    }

    /// Creates a token (see ``createToken(key:timeout:idempotencyKey:)``) and waits for it. The
    /// token's id is in the run's steps (``RunRecord/steps``) and in ``Errand/tokens(ofRun:)``.
    public func waitForToken<T: Decodable & Sendable>(timeout: Duration? = nil, as type: T.Type = T.self, key: String? = nil) async throws -> T {
        let token = try await createToken(key: key, timeout: timeout)
        return try await waitForToken(token, as: T.self)
    }
}
