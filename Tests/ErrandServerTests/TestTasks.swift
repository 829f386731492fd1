import Errand
import Foundation

/// The tasks the server tests register.
enum TestTasks {
    /// The payload of `count`.
    struct Count: Codable, Sendable {
        var count: Int
    }

    /// Returns its payload.
    static let echo = TaskDefinition<JSONValue, JSONValue>("echo") { payload, _ in payload }

    /// Returns the count doubled; its payload must decode as ``Count``.
    static let double = TaskDefinition<Count, Count>("double", options: TaskOptions(queue: QueueOptions(name: "math", concurrency: 2))) { payload, _ in
        Count(count: payload.count * 2)
    }

    /// Sleeps for a minute (cancel it).
    static let sleepy = TaskDefinition<JSONValue, NoOutput>("sleepy") { _, context in
        try await context.clock.sleep(for: .seconds(60))
        return NoOutput()
    }

    /// Parks on a wait token (24 h timeout) and returns the value it is completed with.
    static let approval = TaskDefinition<JSONValue, JSONValue>("approval") { _, context in
        try await context.waitForToken(timeout: .seconds(24 * 3600), as: JSONValue.self)
    }

    static func register(on errand: Errand) throws {
        try errand.register(approval)
        try errand.register(echo)
        try errand.register(double)
        try errand.register(sleepy)
    }
}
