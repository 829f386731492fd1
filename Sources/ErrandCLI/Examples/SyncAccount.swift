import Errand

extension ExampleTasks {
    /// The payload of `sync-account`.
    struct SyncAccount: Codable, Sendable {
        var account: String
    }

    /// Takes a second; its queue `sync` lets at most 2 runs execute at once, across every worker.
    static let syncAccount = TaskDefinition<SyncAccount, NoOutput>(
        "sync-account", options: TaskOptions(queue: QueueOptions(name: "sync", concurrency: 2))
    ) { payload, context in
        try await context.progress("syncing \(payload.account)", percent: nil)
        try await context.clock.sleep(for: .seconds(1))
        return NoOutput()
    }
}
