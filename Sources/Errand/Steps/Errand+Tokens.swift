import Foundation

extension Errand {
    /// Creates a wait token outside any run (a run can wait on it with
    /// ``RunContext/waitForToken(_:as:key:)``). With an idempotency key, creating again returns
    /// the same token.
    public func createToken(timeout: Duration? = nil, idempotencyKey: String? = nil) async throws -> WaitToken {
        try await storeToken(runID: nil, idempotencyKey: idempotencyKey, timeout: timeout, now: clock.now)
    }

    /// The token with this id, `nil` for an unknown id.
    public func token(_ id: String) async throws -> WaitToken? {
        try await store.token(id: id)
    }

    /// The wait tokens a run created, in the order of its steps.
    public func tokens(ofRun id: RunID) async throws -> [WaitToken] {
        var tokens: [WaitToken] = []
        for step in try await store.steps(runID: id) where step.kind == .token {
            if let tokenID = step.tokenID, let token = try await store.token(id: tokenID), !tokens.contains(token) { tokens.append(token) }
        }
        return tokens
    }

    /// Completes a wait token with a JSON value; the run waiting on it resumes.
    ///
    /// Throws ``ErrandError/Code/tokenNotFound`` for an unknown id and
    /// ``ErrandError/Code/tokenResolved`` when it was already completed or timed out.
    @discardableResult
    public func completeToken(_ id: String, value: Data) async throws -> WaitToken {
        try PayloadCoding.checkPayloadSize(value, field: "value")
        try PayloadCoding.checkJSON(value, field: "value")
        let now = clock.now
        switch try await store.resolveToken(id: id, resolution: .complete(value), now: now) {
        case .notFound:
            throw ErrandError(code: .tokenNotFound, message: "no wait token has the id \(ErrandError.quote(id))", field: "id")
        case .alreadyResolved(let token):
            throw ErrandError(
                code: .tokenResolved,
                message: "wait token \(id) was already \(token.status == .completed ? "completed" : "timed out")\(token.resolvedAt.map { " at \(ISO8601Timestamp.string(from: $0))" } ?? "")",
                field: "id"
            )
        case .resolved(let token):
            wakeWorkers()
            return token
        }
    }

    /// Completes a wait token with a value encoded as JSON.
    @discardableResult
    public func completeToken<Value: Encodable>(_ id: String, with value: Value) async throws -> WaitToken {
        try await completeToken(id, value: try PayloadCoding.encode(value))
    }

    func storeToken(runID: RunID?, idempotencyKey: String?, timeout: Duration?, now: Date) async throws -> WaitToken {
        if let timeout, timeout <= .zero {
            throw ErrandError.invalidArgument(field: "timeout", value: "\(timeout)", allowed: "a token's timeout must be positive (or none)")
        }
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.utf8.count > 255 {
            throw ErrandError.invalidArgument(field: "idempotencyKey", value: idempotencyKey, allowed: "1 to 255 bytes")
        }
        if let idempotencyKey { try IdentifierText.check(idempotencyKey, field: "idempotencyKey") }
        let token = WaitToken(
            id: WaitToken.generateID(), runID: runID, idempotencyKey: idempotencyKey, status: .pending, createdAt: now,
            expiresAt: timeout.map { now.adding($0) }
        )
        return try await store.createToken(token)
    }
}
