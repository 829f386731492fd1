import Foundation

/// Writes whole lines to standard output and standard error at once, unbuffered, so a program
/// reading `errand demo` or `errand crash-worker` through a pipe sees each line as it happens.
enum Console {
    /// Writes a line to standard output.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
