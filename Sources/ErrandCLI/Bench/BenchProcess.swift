import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs benchmark phases in fresh processes of this executable and collects their figures.
enum BenchProcess {
    /// This executable.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Runs `errand bench-phase PHASE` and returns its figures plus its peak memory.
    static func run(phase: String, settings: BenchSettings, note: (String) -> Void) async throws -> [BenchFigure] {
        let process = try PhaseProcess(["bench-phase", phase, "--settings", settings.encoded])
        var figures: [BenchFigure] = []
        while let line = process.nextLine() {
            if let figure = BenchFigure(wire: Substring(line)) {
                figures.append(figure)
            } else if !line.isEmpty {
                note(line.hasPrefix("#") ? String(line.dropFirst(2)) : line)
            }
        }
        if let failure = process.waitForExit() { throw BenchError("phase \(phase) failed: its process \(failure)") }
        return figures
    }

    /// The latency phase: a worker process that sits idle, then a producer process that triggers
    /// runs paced apart; the worker reports the percentiles.
    static func runLatency(settings: BenchSettings, note: @escaping (String) -> Void) async throws -> [BenchFigure] {
        let worker = try PhaseProcess(["bench-phase", "latency-worker", "--settings", settings.encoded])
        var figures: [BenchFigure] = []
        var producer: PhaseProcess?
        while let line = worker.nextLine() {
            if line == "ready" {
                producer = try PhaseProcess(["bench-phase", "latency-producer", "--settings", settings.encoded], pipeOutput: false)
            } else if let figure = BenchFigure(wire: Substring(line)) {
                figures.append(figure)
            } else if !line.isEmpty {
                note(line.hasPrefix("#") ? String(line.dropFirst(2)) : line)
            }
        }
        let workerFailure = worker.waitForExit()
        let producerFailure = producer.map { $0.waitForExit() } ?? "never started"
        if workerFailure != nil || producerFailure != nil {
            throw BenchError("phase latency failed (worker \(workerFailure ?? "exited with status 0"), producer \(producerFailure ?? "exited with status 0"))")
        }
        return figures
    }

    /// This process's largest resident set so far, in MB.
    static func peakMemoryMB() -> Double? {
        #if canImport(Glibc)
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return nil }
        return Double(usage.ru_maxrss) / 1024
        #else
        return nil
        #endif
    }
}

/// A benchmark that could not run.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
