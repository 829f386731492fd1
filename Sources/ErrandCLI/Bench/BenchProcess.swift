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
    static func run(executable: String, phase: String, settings: BenchSettings, note: (String) -> Void) async throws -> [BenchFigure] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["bench-phase", phase, "--settings", settings.encoded]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var figures: [BenchFigure] = []
        for line in PipeLines(output) {
            if let figure = BenchFigure(wire: Substring(line)) {
                figures.append(figure)
            } else if !line.isEmpty {
                note(line.hasPrefix("#") ? String(line.dropFirst(2)) : line)
            }
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("phase \(phase) failed with exit status \(process.terminationStatus)")
        }
        return figures
    }

    /// The latency phase: a worker process that sits idle, then a producer process that triggers
    /// runs paced apart; the worker reports the percentiles.
    static func runLatency(executable: String, settings: BenchSettings, note: @escaping (String) -> Void) async throws -> [BenchFigure] {
        let worker = Process()
        worker.executableURL = URL(fileURLWithPath: executable)
        worker.arguments = ["bench-phase", "latency-worker", "--settings", settings.encoded]
        let output = Pipe()
        worker.standardOutput = output
        try worker.run()
        var figures: [BenchFigure] = []
        var producer: Process?
        for line in PipeLines(output) {
            if line == "ready" {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["bench-phase", "latency-producer", "--settings", settings.encoded]
                try process.run()
                producer = process
            } else if let figure = BenchFigure(wire: Substring(line)) {
                figures.append(figure)
            } else if !line.isEmpty {
                note(line.hasPrefix("#") ? String(line.dropFirst(2)) : line)
            }
        }
        worker.waitUntilExit()
        producer?.waitUntilExit()
        guard worker.terminationStatus == 0, producer?.terminationStatus == 0 else {
            throw BenchError("phase latency failed (worker \(worker.terminationStatus), producer \(producer?.terminationStatus ?? -1))")
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
