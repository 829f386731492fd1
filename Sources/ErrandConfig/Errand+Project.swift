import Errand

extension Errand {
    /// Registers every task of a project (as `TaskDefinition<JSONValue, JSONValue>` whose handler
    /// is the runner, and whose ``TaskDefinition/payloadValidator`` checks the task's `schema:`,
    /// so a bad payload is rejected when it is triggered), subscribes each task to its `on:`
    /// events (see ``subscribe(_:to:filter:delay:)``) and declares its schedules (see
    /// ``declareSchedule(_:)``; the scheduler reconciles declared schedules with the store by key
    /// when it starts).
    ///
    /// ```swift
    /// let errand = Errand(store: store)
    /// let runner = ProjectRunner()
    /// try errand.register(try ProjectConfig.load(path: "errand.yml"), runner: runner)
    /// ```
    ///
    /// - Throws: ``ErrandError`` when a task's name is taken already (`duplicate_task`), or a
    ///   schedule or a subscription is declared twice.
    public func register(_ project: ProjectConfig, runner: ProjectRunner) throws {
        for task in project.tasks {
            var definition = TaskDefinition<JSONValue, JSONValue>(task.name, options: task.options) { payload, context in
                try await runner.run(task, payload: payload, context: context)
            }
            if let schema = task.schema {
                definition.payloadValidator = { payload in try schema.validate(payload) }
            }
            try register(definition)
            for subscription in task.subscriptions {
                try subscribe(definition, to: subscription.pattern, filter: subscription.filter, delay: subscription.delay)
            }
        }
        for task in project.tasks {
            if let schedule = task.schedule {
                try declareSchedule(try schedule.newSchedule(task: task.name))
            }
        }
    }
}
