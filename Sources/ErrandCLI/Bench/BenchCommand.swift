import ArgumentParser
import Errand
import ErrandPostgres
import ErrandSQLite
import Foundation

/// `errand bench`: Errand's benchmark on SQLite or PostgreSQL, with the peer harness's four
/// phases (`enqueue_single`, `enqueue_batch`, `drain`, `latency`; see
/// shared/bench/peers/README.md) and Errand's own (`e2e`, `claim_delayed`, `cron`, …). Every phase
/// runs in a fresh process; the latency worker in a second one. Prints one figure per line,
/// `name: value unit`, or with `--json` one JSON object.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark Errand on SQLite or PostgreSQL (the peer harness's phases and more).",
        discussion: """
            Phases: enqueue_single, enqueue_batch, drain, latency (as defined by the peer harness), \
            e2e (trigger, claim, execute and complete concurrently, all durable: figure e2e with one \
            worker in the phase's process; with --processes N > 1 also e2e_<N>p, for example e2e_4p, \
            with N worker processes while one process triggers, timed to the last run counted \
            completed), claim_delayed (claim cost with --delayed delayed runs stored, and on \
            PostgreSQL --finished completed runs, against an empty table: claim_p50_empty, \
            claim_p99_empty, claim_p50_with_delayed, claim_p99_with_delayed), cron (next-time \
            computations), schedule (from a schedule occurrence's time to its run's handler start), \
            steps, publish. --database is a SQLite file (default: a new one under --workdir) or a \
            postgres:// URL: then the store's schema (errand) is emptied with TRUNCATE, VACUUM \
            ANALYZE and CHECKPOINT before each phase, and --sync sets the database's \
            synchronous_commit. Figures: `name: value unit`; lines starting with # are notes.
            """
    )

    static let allPhases = ["enqueue_single", "enqueue_batch", "drain", "latency", "e2e", "claim_delayed", "cron", "schedule", "steps", "publish"]
    static let peerPhases = ["enqueue_single", "enqueue_batch", "drain", "latency"]

    @Option(help: "Comma list of phases (default: all of them).")
    var phases: String = allPhases.joined(separator: ",")

    @Option(help: "The SQLite file (default: a new file in a temporary directory under --workdir), or postgres://user@host:port/database.")
    var database: String?

    @Option(help: "Where the temporary directory goes (use a real disk, as the peer harness does).")
    var workdir: String = "/tmp"

    @Option(help: "on = durable commits (the default), off; SQLite also normal. SQLite: synchronous=FULL/NORMAL/OFF; PostgreSQL: synchronous_commit.")
    var sync: String = "on"

    @Option(help: "Runs drained in drain and e2e.") var jobs: Int = 20_000
    @Option(help: "Runs in enqueue_single.") var single: Int = 5_000
    @Option(help: "Runs in enqueue_batch.") var batchJobs: Int = 20_000
    @Option(help: "Runs per batch call.") var batchSize: Int = 1_000
    @Option(help: "Runs in latency.") var latencyJobs: Int = 500
    @Option(help: "Milliseconds between latency runs.") var latencyIntervalMs: Int = 20
    @Option(help: "Delayed runs stored for claim_delayed (default 1,000,000 on SQLite, 100,000 on PostgreSQL).") var delayed: Int?
    @Option(help: "Completed runs stored for claim_delayed, PostgreSQL only (default 1,000,000).") var finished: Int?
    @Option(help: "Worker concurrency (and claim batch) for drain and e2e, per process; 1,024 is the fastest measured shape for no-op runs on both stores here.") var concurrency: Int = 1_024
    @Option(help: "Worker processes for the extra e2e figure e2e_<N>p (1: only e2e).") var processes: Int = 1

    @Flag(help: "Print one JSON object instead of lines.") var json = false

    /// Whether `--database` is a PostgreSQL URL.
    var isPostgres: Bool { database.map(DatabaseOptions.isPostgresURL) ?? false }

    func validate() throws {
        for phase in phases.split(separator: ",") where !Self.allPhases.contains(String(phase)) {
            throw ValidationError("unknown phase \"\(phase)\" in --phases; allowed: \(Self.allPhases.joined(separator: ", "))")
        }
        if isPostgres {
            guard ["on", "off"].contains(sync) else {
                throw ValidationError("invalid --sync \"\(sync)\" for PostgreSQL (synchronous_commit): allowed on, off")
            }
            do {
                _ = try DatabaseOptions.path(from: database ?? "")
            } catch let error as CLIError {
                throw ValidationError(error.description)
            }
        } else {
            guard ["on", "normal", "off"].contains(sync) else {
                throw ValidationError("invalid --sync \"\(sync)\": allowed on, normal, off")
            }
            if let finished, finished != 0 {
                throw ValidationError("--finished \(finished) applies to PostgreSQL only; on SQLite claim_delayed stores --delayed runs alone")
            }
        }
        for (name, value) in [("--jobs", jobs), ("--single", single), ("--batch-jobs", batchJobs), ("--batch-size", batchSize), ("--latency-jobs", latencyJobs), ("--concurrency", concurrency), ("--processes", processes)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value))")
        }
        for (name, value) in [("--delayed", delayed), ("--finished", finished)] {
            if let value, value < 0 { throw ValidationError("\(name) must be 0 or more (got \(value))") }
        }
    }

    func run() async throws {
        let directory = URL(fileURLWithPath: workdir).appendingPathComponent("errand-bench.\(UInt32.random(in: .min ... .max))")
        if !isPostgres { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        let path = database ?? directory.appendingPathComponent("errand-bench.sqlite").path
        defer { if database == nil { try? FileManager.default.removeItem(at: directory) } }
        var figures: [BenchFigure] = []
        let settings = BenchSettings(
            database: path, sync: sync, jobs: jobs, single: single, batchJobs: batchJobs, batchSize: batchSize,
            latencyJobs: latencyJobs, latencyIntervalMs: latencyIntervalMs,
            delayed: delayed ?? (isPostgres ? 100_000 : 1_000_000), finished: finished ?? (isPostgres ? 1_000_000 : 0),
            concurrency: concurrency, processes: processes
        )
        if isPostgres {
            let name = try await Self.setSynchronousCommit(url: path, on: sync == "on")
            note("sync=\(sync): PostgreSQL synchronous_commit=\(sync) for database \(name) (ALTER DATABASE … SET, picked up by new sessions); schema errand; database \(settings.shownDatabase)")
            note("disk: \(DiskProbe.fdatasyncPerSecond(in: workdir)) fdatasync/s (8 KiB, 1 s probe in \(workdir); the server's own disk may differ)")
        } else {
            note("sync=\(sync): SQLite WAL, synchronous=\(BenchSettings.synchronousName(sync)); database \(path)")
            note("disk: \(DiskProbe.fdatasyncPerSecond(in: URL(fileURLWithPath: path).deletingLastPathComponent().path)) fdatasync/s (8 KiB, 1 s probe)")
        }
        for phase in phases.split(separator: ",").map(String.init) {
            var parts = [phase]
            if phase == "e2e", processes > 1 { parts.append("e2e-processes") }
            for part in parts {
                try await BenchPhaseRunner.reset(settings)
                let result: [BenchFigure]
                if part == "latency" {
                    result = try await BenchProcess.runLatency(settings: settings, note: note)
                } else {
                    result = try await BenchProcess.run(phase: part, settings: settings, note: note)
                }
                for figure in result {
                    figures.append(figure)
                    if !json { writeLine(figure.line) }
                }
            }
        }
        if json {
            var object: [String: [String: BenchValue]] = [:]
            for figure in figures { object[figure.name] = ["value": .number(figure.value), "unit": .text(figure.unit)] }
            let document = BenchDocument(system: "errand", store: settings.storeName, sync: sync, figures: object)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        }
    }

    /// Opens the PostgreSQL database as the other commands do (connected and migrated within a
    /// time limit, an unreachable server an error naming it) and sets its `synchronous_commit`;
    /// returns the database's name.
    static func setSynchronousCommit(url: String, on: Bool) async throws -> String {
        try await DatabaseOptions.parse(["--database", url]).withStore { store in
            guard let postgres = store as? PostgresRunStore else { throw BenchError("\(DatabaseOptions.redacted(url)) did not open a PostgreSQL store") }
            return try await PostgresBenchSQL.setSynchronousCommit(postgres, on: on)
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
