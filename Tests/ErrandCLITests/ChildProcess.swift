import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A running `errand` process whose standard output and error go to files.
final class ChildProcess: @unchecked Sendable {
    /// The process.
    let process = Process()
    /// Where its standard output goes.
    let stdoutURL: URL
    /// Where its standard error goes.
    let stderrURL: URL
    private let exit = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Starts `errand` with `arguments` in `directory`, writing its output to files there named
    /// after `label`.
    init(_ arguments: [String], in directory: URL, label: String) throws {
        stdoutURL = directory.appendingPathComponent("\(label).stdout")
        stderrURL = directory.appendingPathComponent("\(label).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try ErrandBinary.url()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = { [weak self] _ in self?.markExited() }
        try process.run()
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// What the process wrote to standard output so far.
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

    /// What the process wrote to standard error so far.
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until the process exits; after `timeout` it is killed (SIGKILL) and `false` returned.
    func waitForExit(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.exited()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first { kill(pid, SIGKILL) }
            group.cancelAll()
            return first
        }
    }

    private func exited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = exit.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }

    private func markExited() {
        let waiters = exit.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
