import ArgumentParser
import Errand
import ErrandSQLite
import Foundation

/// `errand bench`: Errand's benchmark on SQLite, with the peer harness's four phases
/// (`enqueue_single`, `enqueue_batch`, `drain`, `latency`; see shared/bench/peers/README.md) and
/// Errand's own (`e2e`, `claim_delayed`, `cron`). Every phase runs in a fresh process; the
/// latency worker in a second one. Prints one figure per line, `name: value unit`, or with
/// `--json` one JSON object.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark Errand on SQLite (the peer harness's phases and more).",
        discussion: """
            Phases: enqueue_single, enqueue_batch, drain, latency (as defined by the peer harness), \
            e2e (trigger, claim, execute and complete concurrently, all durable), claim_delayed \
            (claim cost with --delayed delayed runs stored, against an empty table), cron (next-time \
            computations), schedule (from a schedule occurrence's time to its run's handler start). Figures: `name: value unit`; lines starting with # are notes.
            """
    )

    static let allPhases = ["enqueue_single", "enqueue_batch", "drain", "latency", "e2e", "claim_delayed", "cron", "schedule", "steps", "publish"]
    static let peerPhases = ["enqueue_single", "enqueue_batch", "drain", "latency"]

    @Option(help: "Comma list of phases (default: the peer harness's four plus e2e, claim_delayed and cron).")
    var phases: String = allPhases.joined(separator: ",")

    @Option(help: "The SQLite file (default: a new file in a temporary directory under --workdir).")
    var database: String?

    @Option(help: "Where the temporary directory goes (use a real disk, as the peer harness does).")
    var workdir: String = "/tmp"

    @Option(help: "on = synchronous=FULL (durable, the default), normal, or off.")
    var sync: String = "on"

    @Option(help: "Runs drained in drain and e2e.") var jobs: Int = 20_000
    @Option(help: "Runs in enqueue_single.") var single: Int = 5_000
    @Option(help: "Runs in enqueue_batch.") var batchJobs: Int = 20_000
    @Option(help: "Runs per batch call.") var batchSize: Int = 1_000
    @Option(help: "Runs in latency.") var latencyJobs: Int = 500
    @Option(help: "Milliseconds between latency runs.") var latencyIntervalMs: Int = 20
    @Option(help: "Delayed runs stored for claim_delayed.") var delayed: Int = 1_000_000
    @Option(help: "Worker concurrency for drain and e2e.") var concurrency: Int = 256

    @Flag(help: "Print one JSON object instead of lines.") var json = false

    func validate() throws {
        for phase in phases.split(separator: ",") where !Self.allPhases.contains(String(phase)) {
            throw ValidationError("unknown phase \"\(phase)\" in --phases; allowed: \(Self.allPhases.joined(separator: ", "))")
        }
        guard ["on", "normal", "off"].contains(sync) else {
            throw ValidationError("invalid --sync \"\(sync)\": allowed on, normal, off")
        }
        for (name, value) in [("--jobs", jobs), ("--single", single), ("--batch-jobs", batchJobs), ("--batch-size", batchSize), ("--latency-jobs", latencyJobs), ("--concurrency", concurrency)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value))")
        }
    }

    func run() async throws {
        let directory = URL(fileURLWithPath: workdir).appendingPathComponent("errand-bench.\(UInt32.random(in: .min ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = database ?? directory.appendingPathComponent("errand-bench.sqlite").path
        defer { if database == nil { try? FileManager.default.removeItem(at: directory) } }
        let executable = BenchProcess.executablePath
        var figures: [BenchFigure] = []
        note("sync=\(sync): SQLite WAL, synchronous=\(BenchSettings.synchronousName(sync)); database \(path)")
        note("disk: \(DiskProbe.fdatasyncPerSecond(in: URL(fileURLWithPath: path).deletingLastPathComponent().path)) fdatasync/s (8 KiB, 1 s probe)")
        let settings = BenchSettings(
            database: path, sync: sync, jobs: jobs, single: single, batchJobs: batchJobs, batchSize: batchSize,
            latencyJobs: latencyJobs, latencyIntervalMs: latencyIntervalMs, delayed: delayed, concurrency: concurrency
        )
        for phase in phases.split(separator: ",").map(String.init) {
            try await BenchPhaseRunner.reset(settings)
            let result: [BenchFigure]
            if phase == "latency" {
                result = try await BenchProcess.runLatency(executable: executable, settings: settings, note: note)
            } else {
                result = try await BenchProcess.run(executable: executable, phase: phase, settings: settings, note: note)
            }
            for figure in result {
                figures.append(figure)
                if !json { writeLine(figure.line) }
            }
        }
        if json {
            var object: [String: [String: BenchValue]] = [:]
            for figure in figures { object[figure.name] = ["value": .number(figure.value), "unit": .text(figure.unit)] }
            let document = BenchDocument(system: "errand", store: "sqlite", sync: sync, figures: object)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
    }

    private func note(_ text: String) {
        if json {
            FileHandle.standardError.write(Data("# \(text)\n".utf8))
        } else {
            writeLine("# \(text)")
        }
    }
}

/// The `--json` document.
struct BenchDocument: Encodable {
    var system: String
    var store: String
    var sync: String
    var figures: [String: [String: BenchValue]]
}

/// A number or a string in the `--json` document.
enum BenchValue: Encodable {
    case number(Double)
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}
