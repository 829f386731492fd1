import Foundation

extension RunContext {
    /// Runs `body` once per run: the first time its output is stored with the run; when the run is
    /// retried or resumed (the handler runs again from the top), the stored output is returned
    /// without running `body`.
    ///
    /// ```swift
    /// let user = try await context.step("load-user") { try await users.find(id) }
    /// try await context.step("send-email") { try await mailer.send(welcome(user)) }
    /// ```
    ///
    /// Keys are unique within a run (a key used twice is an error). Steps started inside `body`
    /// are nested: their keys form a path (`outer/inner`), at most 5 levels deep. `options.retry`
    /// retries `body` inside the attempt; when its tries are used up the step's error fails the
    /// attempt, and the run's own retry policy decides what happens next. Errors marked
    /// ``NonRetryableError`` are not retried by the step.
    public func step<Output: Codable & Sendable>(
        _ key: String, options: StepOptions = StepOptions(), _ body: @Sendable () async throws -> Output
    ) async throws -> Output {
        let journal = try self.journal(for: "step")
        let path = try journal.claim(key)
        let stored = try await journal.stored(path)
        if let stored, stored.status == .completed {
            return try Self.decodeOutput(Output.self, stored.output, path: path)
        }
        try options.retry.validate()
        var tries = stored?.attempts ?? 0
        let startedAt = stored?.startedAt ?? clock.now
        var generator = SystemRandomNumberGenerator()
        for round in 1...options.retry.maxAttempts {
            tries += 1
            do {
                let output = try await StepJournal.$currentPath.withValue(path.split(separator: "/").map(String.init)) {
                    try await body()
                }
                let json: Data? = output is NoOutput ? nil : try PayloadCoding.encode(output)
                if let json, json.count > PayloadCoding.maximumPayloadSize {
                    throw ErrandError(
                        code: .payloadTooLarge,
                        message: "the output of step \"\(path)\" is \(json.count) bytes, larger than the \(PayloadCoding.maximumPayloadSize)-byte (256 KB) limit of a step's output",
                        field: "output"
                    )
                }
                try await journal.record(StepRecord(
                    key: path, status: .completed, attempts: tries, startedAt: startedAt, endedAt: clock.now, output: json,
                    attempt: attempt
                ))
                return output
            } catch let suspension as RunSuspension {
                throw suspension
            } catch {
                let last = round == options.retry.maxAttempts || error is NonRetryableError || error is CancellationError || isCancelled
                if last {
                    try? await journal.record(StepRecord(
                        key: path, status: .failed, attempts: tries, startedAt: startedAt, endedAt: clock.now,
                        error: RunError(error), attempt: attempt
                    ))
                    throw error
                }
                try await clock.sleep(for: options.retry.delay(afterAttempt: round, using: &generator))
            }
        }
        preconditionFailure("a retry policy has at least one attempt")
    }

    /// A step without output: runs `body` once per run.
    public func step(_ key: String, options: StepOptions = StepOptions(), _ body: @Sendable () async throws -> Void) async throws {
        _ = try await step(key, options: options) { () async throws -> NoOutput in
            try await body()
            return NoOutput()
        }
    }

    /// Waits `duration`, durably: the run is parked (status `waiting`), its worker slot and queue
    /// slot are released, and it resumes on any worker, after any restart, once the time has come.
    /// The end time is fixed the first time the wait is reached, so a resumed run does not wait
    /// again. `key` names the wait (default: `wait-N`, numbered in call order).
    public func wait(for duration: Duration, key: String? = nil) async throws {
        guard duration >= .zero else {
            throw ErrandError.invalidArgument(field: "duration", value: "\(duration)", allowed: "a wait lasts zero or more seconds")
        }
        try await wait(key: key) { now in now.adding(duration) }
    }

    /// Waits until `date`, durably (see ``wait(for:key:)``).
    public func wait(until date: Date, key: String? = nil) async throws {
        try await wait(key: key) { _ in date }
    }

    private func wait(key: String?, end: (Date) -> Date) async throws {
        let journal = try self.journal(for: "wait")
        let path = try journal.claim(key ?? journal.automaticKey("wait"))
        let stored = try await journal.stored(path)
        if let stored, stored.status == .completed { return }
        let now = clock.now
        let wakeAt = stored?.wakeAt ?? end(now)
        let startedAt = stored?.startedAt ?? now
        if wakeAt <= now {
            try await journal.record(StepRecord(
                key: path, kind: .wait, status: .completed, startedAt: startedAt, endedAt: now, wakeAt: wakeAt, attempt: attempt
            ))
            return
        }
        if stored == nil {
            try await journal.record(StepRecord(key: path, kind: .wait, status: .waiting, startedAt: startedAt, wakeAt: wakeAt, attempt: attempt))
        }
        throw journal.suspend(until: wakeAt, target: nil)
    }

    /// The attempt's journal; durable steps only exist inside a run's handler.
    func journal(for call: String) throws -> StepJournal {
        guard let journal else {
            throw ErrandError(code: .invalidState, message: "\(call) is only available inside a run's handler executed by a worker")
        }
        return journal
    }

    static func decodeOutput<Output: Decodable>(_ type: Output.Type, _ data: Data?, path: String) throws -> Output {
        if Output.self == NoOutput.self, let output = NoOutput() as? Output { return output }
        return try PayloadCoding.decode(Output.self, from: data ?? Data("null".utf8), field: "step \(path) output")
    }
}
