import Foundation
import Logging

/// A registered task with its types erased: what the engine and the worker work with.
struct AnyTask: Sendable {
    let name: String
    let options: TaskOptions
    let queueName: String
    /// Decodes a JSON payload as the task's payload type, throwing an error that names the field.
    let validatePayload: @Sendable (Data) throws -> Void
    /// Whether the task checks payloads beyond decoding them (so typed triggers check them too).
    let hasPayloadValidator: Bool
    /// Runs `initialize`, `middleware`, the handler and `cleanup` (with the global hooks around them).
    let execute: @Sendable (_ payload: Data, _ context: RunContext, _ global: GlobalHooks) async -> AttemptResult
    let onStart: @Sendable (_ payload: Data, _ context: RunContext) async throws -> Void
    let onSuccess: @Sendable (_ record: RunRecord, _ value: (any Sendable)?) async throws -> Void
    let onFailure: @Sendable (_ record: RunRecord) async throws -> Void
    let handleError: @Sendable (_ payload: Data, _ error: any Error, _ context: RunContext) async -> ErrorDecision?
    let onComplete: @Sendable (_ record: RunRecord) async throws -> Void
    /// Whether the task has a hook that runs after an outcome is recorded (`onSuccess`,
    /// `onFailure`, `onComplete`).
    let hasOutcomeHooks: Bool

    init<Payload, Output>(_ task: TaskDefinition<Payload, Output>) {
        name = task.name
        options = task.options
        queueName = task.queueName
        let hooks = task.hooks
        let handler = task.handler
        let decode: @Sendable (Data) throws -> Payload = { data in try PayloadCoding.decode(Payload.self, from: data) }
        let validator = task.payloadValidator
        hasPayloadValidator = validator != nil
        validatePayload = { data in
            let payload = try decode(data)
            try validator?(payload)
        }
        execute = { data, context, global in
            let payload: Payload
            do {
                payload = try decode(data)
            } catch {
                return .failure(error)
            }
            return await Self.runChain(payload: payload, context: context, hooks: hooks, global: global, handler: handler)
        }
        onStart = { data, context in
            guard let onStart = hooks.onStart else { return }
            try await onStart(try decode(data), context)
        }
        onSuccess = { record, value in
            guard let onSuccess = hooks.onSuccess, let output = value as? Output else { return }
            try await onSuccess(try decode(record.payload), output, record)
        }
        onFailure = { record in
            guard let onFailure = hooks.onFailure else { return }
            try await onFailure(try decode(record.payload), record)
        }
        handleError = { data, error, context in
            guard let handleError = hooks.handleError, let payload = try? decode(data) else { return nil }
            return await handleError(payload, error, context)
        }
        onComplete = { record in try await hooks.onComplete?(record) }
        hasOutcomeHooks = hooks.hasOutcomeHooks
    }

    private static func runChain<Payload, Output>(
        payload: Payload, context: RunContext, hooks: TaskHooks<Payload, Output>, global: GlobalHooks,
        handler: @escaping TaskDefinition<Payload, Output>.Handler
    ) async -> AttemptResult {
        var context = context
        var produced: Output?
        var failure: (any Error)?
        do {
            try await global.initialize?(context)
            if let initialize = hooks.initialize { context.initOutput = try await initialize(payload, context) }
            let ready = context
            if hooks.middleware == nil, global.middleware == nil {
                // No middleware: the handler is called directly, with no box or closure to
                // allocate for the chain.
                produced = try await handler(payload, ready)
            } else {
                let output = OutputBox<Output>()
                let core: @Sendable () async throws -> Void = { output.set(try await handler(payload, ready)) }
                let taskWrapped: @Sendable () async throws -> Void
                if let middleware = hooks.middleware {
                    taskWrapped = { try await middleware(payload, ready, core) }
                } else {
                    taskWrapped = core
                }
                if let middleware = global.middleware {
                    try await middleware(ready, taskWrapped)
                } else {
                    try await taskWrapped()
                }
                produced = output.value
            }
        } catch {
            failure = error
        }
        do {
            try await hooks.cleanup?(payload, context)
            try await global.cleanup?(context)
        } catch {
            if failure == nil { failure = error }
        }
        if let suspension = context.journal?.suspension { return .suspended(suspension) }
        if let failure { return .failure(failure) }
        guard let value = produced else {
            return .failure(ErrandError(code: .invalidState, message: "the handler's middleware did not call next(): the task \"\(context.taskName)\" produced no output"))
        }
        if value is NoOutput { return .success(json: nil, value: value) }
        do {
            return .success(json: try PayloadCoding.encode(value), value: value)
        } catch {
            return .failure(ErrandError(code: .invalidArgument, message: "the result of task \"\(context.taskName)\" could not be encoded as JSON: \(error)", field: "result"))
        }
    }
}

/// Holds the handler's output across the middleware chain.
private final class OutputBox<Output: Sendable>: Sendable {
    private let storage = Mutex<Output?>(nil)
    func set(_ value: Output) { storage.withLock { $0 = value } }
    var value: Output? { storage.withLock { $0 } }
}

import Synchronization
