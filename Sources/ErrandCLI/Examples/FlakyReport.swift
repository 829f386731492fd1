import Errand

extension ExampleTasks {
    /// The payload of `flaky-report`.
    struct ReportRequest: Codable, Sendable {
        var name: String
    }

    /// The error `flaky-report`'s first attempt throws.
    struct UpstreamUnavailable: Error, CustomStringConvertible {
        var description: String { "the reporting database did not answer (first attempts always fail in this demo)" }
    }

    /// Fails its first attempt, then succeeds: the run retries after about a second (exponential
    /// backoff with jitter).
    static let flakyReport = TaskDefinition<ReportRequest, [String: Int]>(
        "flaky-report",
        options: TaskOptions(retry: RetryPolicy(maxAttempts: 3, factor: 2, minDelay: .seconds(1), maxDelay: .seconds(10)))
    ) { payload, context in
        if context.attempt == 1 { throw UpstreamUnavailable() }
        try await context.clock.sleep(for: .milliseconds(200))
        return ["rows": 42, "attempt": context.attempt]
    }
}
