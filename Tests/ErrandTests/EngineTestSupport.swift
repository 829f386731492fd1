import Errand
import ErrandTesting
import Foundation
import Synchronization

struct Greeting: Codable, Sendable, Hashable {
    var name: String
}

struct Reply: Codable, Sendable, Hashable {
    var text: String
}

struct Boom: Error, CustomStringConvertible {
    var reason = "boom"
    var description: String { reason }
}

struct Fatal: NonRetryableError, CustomStringConvertible {
    var description: String { "fatal" }
}

/// A thread-safe list for recording what hooks and handlers saw.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append($0.isEmpty ? value : value) } }
    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

/// Retries without jitter, so retry times are exact.
let exactRetry = RetryPolicy(maxAttempts: 3, factor: 2, minDelay: .seconds(10), maxDelay: .seconds(60), jitter: 0)

func makeTestErrand(configuration: Errand.Configuration = Errand.Configuration(), concurrency: Int = 10) -> TestErrand {
    TestErrand(
        configuration: configuration,
        worker: WorkerConfiguration(id: "test-worker", concurrency: concurrency, pollInterval: .seconds(3600))
    )
}

func greetTask(options: TaskOptions = TaskOptions(retry: exactRetry)) -> TaskDefinition<Greeting, Reply> {
    TaskDefinition("greet", options: options) { payload, _ in Reply(text: "hello \(payload.name)") }
}
