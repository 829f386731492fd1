import Foundation

/// Writes a line to standard output at once (unbuffered), so a parent process reading the pipe
/// sees it immediately.
func writeLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Reads a pipe line by line (blocking reads, for the benchmark orchestrator).
struct PipeLines: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer = Data()
    private var finished = false

    /// Reads the descriptor `fd`, which it owns (and closes when it is gone).
    init(fileDescriptor fd: Int32) { handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true) }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return String(decoding: buffer, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}
