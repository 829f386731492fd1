#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only text file written with `O_APPEND`: each ``append(_:)`` is one `write(2)`, so
/// lines from concurrent attempts never interleave and are in the file (the kernel's) as soon as
/// the call returns, even if the process is killed right after.
final class StepLog: Sendable {
    private let descriptor: Int32

    /// Opens (creating) the file for appending.
    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CLIError("cannot open the step file \"\(path)\": errno \(errno)") }
    }

    deinit { close(descriptor) }

    /// Appends one line (a newline is added).
    func append(_ line: String) throws {
        var bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw CLIError("writing the step file failed: errno \(errno)") }
    }
}
