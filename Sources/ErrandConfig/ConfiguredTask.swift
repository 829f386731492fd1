import Errand

/// One task of a project file: its name, options, handler, optional schedule, the events it
/// subscribes to and the JSON Schema of its payloads.
public struct ConfiguredTask: Sendable, Hashable {
    /// The task's name (the key under `tasks:`).
    public var name: String
    /// The options (timeout, retry, queue, priority, tags, …), checked with
    /// ``TaskOptions/validate()``.
    public var options: TaskOptions
    /// What executes an attempt: a command, a shell command line or an HTTP endpoint.
    public var handler: ConfiguredHandler
    /// The schedule that triggers the task, if any.
    public var schedule: ConfiguredSchedule?
    /// The events that trigger the task (`on:`).
    public var subscriptions: [ConfiguredSubscription]
    /// The JSON Schema payloads must satisfy (`schema:`), checked when a run is triggered.
    public var schema: JSONSchema?
    /// A description for people.
    public var description: String?

    /// Creates a task.
    public init(
        name: String, options: TaskOptions = TaskOptions(), handler: ConfiguredHandler,
        schedule: ConfiguredSchedule? = nil, subscriptions: [ConfiguredSubscription] = [], schema: JSONSchema? = nil,
        description: String? = nil
    ) {
        self.name = name
        self.options = options
        self.handler = handler
        self.schedule = schedule
        self.subscriptions = subscriptions
        self.schema = schema
        self.description = description
    }
}
