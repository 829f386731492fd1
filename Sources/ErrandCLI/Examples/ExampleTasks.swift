import Errand
import Foundation

/// The example tasks `errand demo` registers, one per feature: progress (``resizeImage``), retries
/// with backoff (``flakyReport``), a queue limit (``syncAccount``) and a delayed run
/// (``welcomeEmail``).
enum ExampleTasks {
    /// The queues the example tasks use, so the demo's worker leaves other tasks' runs alone. The
    /// task names are there too: `errand trigger` does not know a task's queue, so its runs go to
    /// the queue named after the task unless `--queue` says otherwise.
    static let queues: Set<String> = [
        resizeImage.name, resizeImage.queueName, flakyReport.name, flakyReport.queueName,
        syncAccount.name, syncAccount.queueName, welcomeEmail.name, welcomeEmail.queueName,
    ]

    /// Registers every example task.
    static func register(on errand: Errand) throws {
        try errand.register(resizeImage)
        try errand.register(flakyReport)
        try errand.register(syncAccount)
        try errand.register(welcomeEmail)
    }

    /// Triggers `count` sample runs, cycling through the tasks; the welcome email starts 5 seconds
    /// later. Returns the run ids in order.
    static func triggerSamples(_ count: Int, on errand: Errand) async throws -> [RunID] {
        var ids: [RunID] = []
        for index in 0..<count {
            let id: RunID
            switch index % 8 {
            case 0, 5:
                id = try await errand.trigger(resizeImage, ResizeImage(url: "https://example.com/photos/\(index).jpg", width: 256), options: .init(tags: ["demo"]))
            case 2:
                id = try await errand.trigger(flakyReport, ReportRequest(name: "daily-sales-\(index)"), options: .init(tags: ["demo"]))
            case 4:
                id = try await errand.trigger(
                    welcomeEmail, WelcomeEmail(address: "user\(index)@example.com"), options: .init(after: .duration(5, .second), tags: ["demo"])
                )
            default:
                id = try await errand.trigger(syncAccount, SyncAccount(account: "acct-\(index)"), options: .init(tags: ["demo"]))
            }
            ids.append(id)
        }
        return ids
    }

    /// A payload for each example task, for the hints the demo prints.
    static let samplePayloads: [(task: String, payload: String)] = [
        (resizeImage.name, #"{"url": "https://example.com/cat.jpg", "width": 128}"#),
        (flakyReport.name, #"{"name": "weekly"}"#),
        (syncAccount.name, #"{"account": "acct-42"}"#),
        (welcomeEmail.name, #"{"address": "new@example.com"}"#),
    ]
}
