import Foundation

/// A task: a unique name, options, hooks and a handler from a typed `Codable` payload to a typed
/// `Codable` output.
///
/// ```swift
/// struct Resize: Codable, Sendable { var url: String }
/// struct Resized: Codable, Sendable { var url: String; var bytes: Int }
///
/// let resize = TaskDefinition<Resize, Resized>("resize-image", options: .init(timeout: .seconds(120))) { payload, ctx in
///     try await ctx.progress("downloading", percent: 0.1)
///     return Resized(url: payload.url, bytes: 42)
/// }
/// try errand.register(resize)
/// let id = try await errand.trigger(resize, Resize(url: "s3://…"))
/// ```
///
/// The name is checked when the task is registered: at most 64 characters, unique per ``Errand``.
/// A task with nothing to return uses ``NoOutput``.
public struct TaskDefinition<Payload: Codable & Sendable, Output: Codable & Sendable>: Sendable {
    /// The handler's signature.
    public typealias Handler = @Sendable (Payload, RunContext) async throws -> Output

    /// The unique name.
    public let name: String
    /// The options.
    public var options: TaskOptions
    /// The lifecycle hooks.
    public var hooks: TaskHooks<Payload, Output>
    /// The handler.
    public let handler: Handler
    /// An extra check of a payload at trigger time, after it decoded as `Payload` (for example a
    /// JSON Schema for tasks whose payload type is ``JSONValue``). It throws an ``ErrandError``
    /// naming the field; the trigger is then rejected and nothing is stored.
    public var payloadValidator: (@Sendable (Payload) throws -> Void)?

    /// Defines a task.
    public init(
        _ name: String, options: TaskOptions = TaskOptions(), hooks: TaskHooks<Payload, Output> = TaskHooks(),
        handler: @escaping Handler
    ) {
        self.name = name
        self.options = options
        self.hooks = hooks
        self.handler = handler
    }

    /// The queue the task's runs go to by default.
    public var queueName: String { options.queue.name ?? name }
}

/// The output of a task that returns nothing; no result is stored for it.
public struct NoOutput: Codable, Sendable, Hashable {
    /// Creates the empty output.
    public init() {}
}
