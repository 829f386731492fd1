import Errand
import Foundation
import Logging

/// The `publish` benchmark phase: the cost of publishing an event that ten tasks subscribe to
/// (the event and its ten runs in one durable transaction), one publish at a time and from 16
/// publishers at once (their commits shared).
enum PublishBenchmark {
    static let subscribers = 10
    static let sequential = 1_000
    static let concurrent = 4_000

    static func run(settings: BenchSettings) async throws -> [BenchFigure] {
        try await settings.withStore { store in try await run(settings: settings, store: store) }
    }

    private static func run(settings: BenchSettings, store: any BenchStore) async throws -> [BenchFigure] {
        var logger = Logger(label: "errand.bench")
        logger.logLevel = .warning
        let errand = Errand(store: store, configuration: .init(retention: [:], logger: logger))
        for index in 0..<subscribers {
            let task = TaskDefinition<BenchPayload, NoOutput>("bench-subscriber-\(index)", options: TaskOptions(retry: .none)) { _, _ in NoOutput() }
            try errand.register(task)
            try errand.subscribe(task, to: "bench.*")
        }
        try await errand.storeDeclaredSubscriptions()

        var samples: [Double] = []
        for index in 0..<sequential {
            let start = ContinuousClock.now
            let event = try await errand.publish(event: "bench.created", BenchPayload(i: index))
            samples.append((ContinuousClock.now - start).timeInterval * 1000)
            guard event.runIDs.count == subscribers else { throw BenchError("an event created \(event.runIDs.count) runs, expected \(subscribers)") }
        }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for publisher in 0..<16 {
                group.addTask {
                    for index in stride(from: publisher, to: concurrent, by: 16) {
                        try await errand.publish(event: "bench.updated", BenchPayload(i: index))
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        writeLine("# publish: \(sequential) events one at a time, then \(concurrent) from 16 publishers at once; each event creates \(subscribers) runs in its transaction; sync=\(settings.sync)")
        return [
            BenchFigure(name: "publish_p50", value: Percentile.of(samples, 50), unit: "ms"),
            BenchFigure(name: "publish_p99", value: Percentile.of(samples, 99), unit: "ms"),
            BenchFigure(name: "publish_concurrent", value: Double(concurrent) / elapsed.timeInterval, unit: "events/s"),
        ]
    }
}
