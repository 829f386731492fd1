import ArgumentParser
import Foundation

/// `errand bench-phase PHASE --settings JSON`: one benchmark phase in a process of its own
/// (started by `errand bench`; not for direct use).
struct BenchPhaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-phase", shouldDisplay: false)

    @Argument var phase: String
    @Option var settings: String

    func run() async throws {
        let settings = try JSONDecoder().decode(BenchSettings.self, from: Data(self.settings.utf8))
        let runner = BenchPhaseRunner(settings: settings)
        let figures: [BenchFigure]
        switch phase {
        case "enqueue_single": figures = try await runner.enqueueSingle()
        case "enqueue_batch": figures = try await runner.enqueueBatch()
        case "drain": figures = try await runner.drain()
        case "e2e": figures = try await runner.endToEnd()
        case "e2e-processes": figures = try await EndToEndProcesses.run(settings: settings)
        case "e2e-worker": figures = try await EndToEndProcesses.worker(settings: settings)
        case "claim_delayed": figures = try await ClaimBenchmark.run(settings: settings)
        case "schedule": figures = try await ScheduleBenchmark.run(settings: settings)
        case "cron": figures = Self.cronFigures()
        case "steps": figures = try await StepBenchmark.run(settings: settings)
        case "publish": figures = try await PublishBenchmark.run(settings: settings)
        case "latency-worker": figures = try await runner.latencyWorker()
        case "latency-producer": figures = try await runner.latencyProducer()
        default: throw ValidationError("unknown phase \"\(phase)\"")
        }
        for figure in figures { figure.emit() }
        if phase != "latency-producer", let peak = BenchProcess.peakMemoryMB() {
            let name = phase == "e2e-processes" ? EndToEndProcesses.figureName(processes: settings.processes) : phase.replacingOccurrences(of: "-worker", with: "")
            BenchFigure(name: "\(name)_peak_rss", value: peak, unit: "MB").emit()
        }
    }

    /// The cron figures under stable names (`cron_next_typical_1`…, `cron_next_worst_1`…), with a
    /// note line naming each expression.
    static func cronFigures() -> [BenchFigure] {
        var typical = 0
        var worst = 0
        return CronBenchmark.run().map { figure in
            let name: String
            if figure.unit == "ops/s" {
                typical += 1
                name = "cron_next_typical_\(typical)"
            } else {
                worst += 1
                name = "cron_next_worst_\(worst)"
            }
            writeLine("# \(name) = \(figure.name)")
            return BenchFigure(name: name, value: figure.value, unit: figure.unit)
        }
    }
}
