import Errand

/// A registered task as `GET /api/v1/tasks` lists it: name, queue, options and schedules.
struct TaskView: Encodable {
    /// The retry policy in seconds.
    struct Retry: Encodable {
        var maxAttempts: Int
        var minDelaySeconds: Double
        var maxDelaySeconds: Double
        var factor: Double
        var jitter: Double
    }

    /// The options, durations in seconds, absent values `null`.
    struct Options: Encodable {
        var timeoutSeconds: Double
        var maxDurationSeconds: Double?
        var retry: Retry
        var concurrency: Int?
        var priority: Int
        var ttlSeconds: Double?
        var tags: [String]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
            try container.encode(maxDurationSeconds, forKey: .maxDurationSeconds)
            try container.encode(retry, forKey: .retry)
            try container.encode(concurrency, forKey: .concurrency)
            try container.encode(priority, forKey: .priority)
            try container.encode(ttlSeconds, forKey: .ttlSeconds)
            try container.encode(tags, forKey: .tags)
        }

        private enum CodingKeys: String, CodingKey {
            case timeoutSeconds, maxDurationSeconds, retry, concurrency, priority, ttlSeconds, tags
        }
    }

    var name: String
    var queue: String
    var options: Options
    var schedules: [ScheduleView]

    init(name: String, queue: String, options: TaskOptions, schedules: [ScheduleView]) {
        self.name = name
        self.queue = queue
        self.options = Options(
            timeoutSeconds: options.timeout.seconds, maxDurationSeconds: options.maxDuration?.seconds,
            retry: Retry(
                maxAttempts: options.retry.maxAttempts, minDelaySeconds: options.retry.minDelay.seconds,
                maxDelaySeconds: options.retry.maxDelay.seconds, factor: options.retry.factor, jitter: options.retry.jitter
            ),
            concurrency: options.queue.concurrency, priority: options.priority, ttlSeconds: options.ttl?.seconds, tags: options.tags
        )
        self.schedules = schedules
    }
}
