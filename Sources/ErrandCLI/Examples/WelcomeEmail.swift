import Errand

extension ExampleTasks {
    /// The payload of `send-welcome-email`.
    struct WelcomeEmail: Codable, Sendable {
        var address: String
    }

    /// "Sends" a welcome email; the demo triggers it with `after: 5 seconds`.
    static let welcomeEmail = TaskDefinition<WelcomeEmail, [String: String]>("send-welcome-email") { payload, context in
        try await context.clock.sleep(for: .milliseconds(100))
        return ["to": payload.address, "messageID": "msg-\(context.runID.rawValue.suffix(8))"]
    }
}
