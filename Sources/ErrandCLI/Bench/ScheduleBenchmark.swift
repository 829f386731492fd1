import Errand
import Foundation

/// The `schedule` bench phase: how soon after its time a schedule occurrence's run starts.
///
/// Rates fire at most once a minute, so instead of one schedule firing many times it stores
/// ``count`` schedules (`rate(1 minute)`) whose anchors, and so first fire times, are spread
/// ``spacing`` apart starting shortly after the phase starts: ``count`` occurrences in about
/// six seconds, each a separate due schedule. A ``Scheduler`` and a ``Worker`` on the system
/// clock, in this process, on the bench's store (and durability), fire and execute
/// them; the handler records `start − occurrence time` (the run's `scheduledAt` is the
/// occurrence). The schedules are deleted afterwards.
enum ScheduleBenchmark {
    /// How many occurrences are measured.
    static let count = 300
    /// The time between consecutive first fire times.
    static let spacing: Duration = .milliseconds(20)
    /// The key prefix of the bench's schedules.
    static let keyPrefix = "bench-schedule-"

    static func run(settings: BenchSettings) async throws -> [BenchFigure] {
        try await settings.withStore { store in try await run(settings: settings, store: store) }
    }

    private static func run(settings: BenchSettings, store: any BenchStore) async throws -> [BenchFigure] {
        try await deleteBenchSchedules(store)
        let samples = LatencySamples(target: count)
        let runner = BenchPhaseRunner(settings: settings)
        let (errand, task) = try runner.makeErrand(store: store) { _, context in
            samples.add(Date().timeIntervalSince(context.scheduledAt) * 1000)
            return NoOutput()
        }
        // Stored in one transaction, first fire times from 1.5 s from now, `spacing` apart.
        let now = Date()
        let start = now.addingTimeInterval(1.5)
        let records = try (0..<count).map { index in
            try NewSchedule(
                task: task.name, expression: "rate(1 minute)", payload: Data(#"{"i":\#(index)}"#.utf8),
                key: "\(keyPrefix)\(index)", anchor: start.adding(spacing * index)
            ).record(now: now, declared: false, id: Schedule.generateID(at: now))
        }
        _ = try await store.upsertSchedules(records, onConflict: .keepExisting, now: now)

        let scheduler = errand.scheduler(SchedulerConfiguration(reconcilesDeclaredSchedules: false))
        let worker = errand.worker(WorkerConfiguration(id: "bench-schedule", concurrency: settings.concurrency))
        let running = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                group.addTask { try await worker.run() }
                try await group.waitForAll()
            }
        }
        let values = try await withThrowingTaskGroup(of: [Double]?.self) { group in
            group.addTask { await samples.waitForTarget() }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        scheduler.shutDown()
        worker.shutDown()
        try await running.value
        try await deleteBenchSchedules(store)
        guard let values else {
            throw BenchError("schedule: only part of the \(count) occurrences ran within 60 s")
        }
        writeLine(
            "# schedule: \(count) rate schedules first due \(spacing.milliseconds) ms apart; 1 scheduler + 1 worker (concurrency \(settings.concurrency)) in one process on the system clock; handler start − occurrence time; max \(String(format: "%.1f", values.max() ?? 0)) ms"
        )
        return [
            BenchFigure(name: "schedule_latency_p50", value: Percentile.of(values, 50), unit: "ms"),
            BenchFigure(name: "schedule_latency_p99", value: Percentile.of(values, 99), unit: "ms"),
        ]
    }

    /// Deletes the schedules a previous run of the phase left.
    private static func deleteBenchSchedules(_ store: any BenchStore) async throws {
        var after: String?
        while true {
            let page = try await store.listSchedules(ScheduleQuery(limit: 1000, after: after))
            for schedule in page where schedule.key.hasPrefix(keyPrefix) { _ = try await store.deleteSchedule(id: schedule.id) }
            guard page.count == 1000 else { return }
            after = page.last?.id
        }
    }
}
