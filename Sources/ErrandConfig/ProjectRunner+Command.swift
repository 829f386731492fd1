import Errand
import Foundation
import Logging

extension ProjectRunner {
    /// Runs one attempt of a command or shell task (protocol in ``ProjectRunner``).
    func runCommand(_ spec: CommandSpec, payload: JSONValue, context: RunContext) async throws -> JSONValue {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(spec.environment) { _, new in new }
        environment["ERRAND_RUN_ID"] = context.runID.rawValue
        environment["ERRAND_ATTEMPT"] = String(context.attempt)
        environment["ERRAND_TASK"] = context.taskName
        let program = spec.arguments[0]
        let executable = try Spawn.resolve(program, workingDirectory: spec.workingDirectory, environment: environment)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec.workingDirectory, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure("cannot start \(program): the working directory \(spec.workingDirectory) is not a folder")
        }
        try Task.checkCancellation()
        let start = spec.limits.isEmpty ? (executable, spec.arguments) : spec.limits.wrap(executable: executable, arguments: spec.arguments)
        let child = try ChildProcess.start(
            executable: start.0, arguments: start.1, environment: environment,
            workingDirectory: spec.workingDirectory, stdin: Array(try PayloadCoding.encode(payload))
        )
        let grace = killGracePeriod
        let outcome = await withTaskCancellationHandler {
            // Ends early when the task is canceled; wait() still waits for the process.
            for await line in child.stderrLines {
                await handle(line, context: context)
            }
            return await child.wait()
        } onCancel: {
            child.terminate(grace: grace)
        }
        try Task.checkCancellation()
        return try Self.result(of: outcome, program: program, limits: spec.limits)
    }

    private func handle(_ line: StderrLine, context: RunContext) async {
        switch line {
        case .progress(let message, let percent):
            do {
                try await context.progress(message, percent: percent)
            } catch {
                context.logger.warning("progress not recorded", metadata: ["error": "\(error)"])
            }
        case .malformedProgress(let text):
            context.logger.warning(
                "malformed progress line; use errand:progress <percent 0…1 or -> <message>",
                metadata: ["line": "\(text)"]
            )
        case .text(let text):
            context.logger.info("\(text)", metadata: ["stream": "stderr"])
        }
    }

    /// The attempt's result, or the error that fails it.
    static func result(of outcome: ProcessOutcome, program: String, limits: ResourceLimits = ResourceLimits()) throws -> JSONValue {
        guard outcome.status == .exited(0) else {
            let tail = outcome.stderrTail
            var what = "\(program) \(outcome.status)"
            if let limit = limits.exceeded(status: outcome.status, stderr: tail, cpuTime: outcome.cpuTime) {
                what = "\(program) exceeded its \(limit) (it \(outcome.status))"
            }
            throw CommandFailure(what + (tail.isEmpty ? " (standard error was empty)" : ":\n\(tail)"))
        }
        guard !outcome.stdoutOverflowed else {
            throw CommandFailure(
                "\(program) wrote more than \(PayloadCoding.maximumResultSize) bytes to standard output, the result limit; write a smaller JSON result, and logs to standard error"
            )
        }
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        if text.allSatisfy(\.isWhitespace) { return .null }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(outcome.stdout))
        } catch {
            let start = text.count > 200 ? String(text.prefix(200)) + "…" : text
            throw CommandFailure(
                "\(program) wrote something other than JSON to standard output: \"\(start)\"; write the result as one JSON value (or nothing), and logs to standard error"
            )
        }
    }
}
