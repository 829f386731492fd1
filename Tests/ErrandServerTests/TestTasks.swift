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

    /// The payload of `chatty`.
    struct Chat: Codable, Sendable {
        /// How many rounds of log lines to write.
        var rounds: Int
        /// The pause after each round, in milliseconds.
        var pauseMilliseconds: Int
    }

    /// Writes, each round, an info, a warning and an error line (with metadata) to its run's log.
    static let chatty = TaskDefinition<Chat, NoOutput>("chatty") { payload, context in
        for round in 1...max(1, payload.rounds) {
            context.logger.info("round \(round) starts", metadata: ["round": "\(round)"])
            context.logger.warning("round \(round) is slow")
            context.logger.error("round \(round) failed a check")
            if payload.pauseMilliseconds > 0 { try await context.clock.sleep(for: .milliseconds(payload.pauseMilliseconds)) }
        }
        return NoOutput()
    }

    static func register(on errand: Errand) throws {
        try errand.register(approval)
        try errand.register(chatty)
        try errand.register(echo)
        try errand.register(double)
        try errand.register(sleepy)
    }
}
