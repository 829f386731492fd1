import Foundation

/// Finds and runs the built `errand` executable (tests cannot import an executable target).
enum ErrandBinary {
    /// The `errand` executable next to the test bundle (`.build/<triple>/debug/errand`).
    static func url() throws -> URL {
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argument0.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        // Tests/ErrandCLITests/ErrandBinary.swift → the package root's .build/debug.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent("errand")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw BinaryMissing(searched: candidates.map(\.path))
    }

    /// The `errand` executable was not built.
    struct BinaryMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the errand executable was not found (looked in \(searched.joined(separator: ", "))); build it first with `swift build`"
        }
    }

    /// The result of one `errand` invocation.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `errand` with `arguments` in `directory` and returns its exit status and output.
    static func run(_ arguments: [String], in directory: URL, timeout: Duration = .seconds(60)) async throws -> Output {
        let child = try ChildProcess(arguments, in: directory, label: "errand-\(UUID().uuidString)")
        let exited = await child.waitForExit(timeout: timeout)
        guard exited else { throw TimedOut(arguments: arguments, timeout: timeout) }
        return Output(status: child.terminationStatus, stdout: child.stdout, stderr: child.stderr)
    }

    /// An `errand` invocation did not finish in time.
    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var timeout: Duration
        var description: String { "errand \(arguments.joined(separator: " ")) did not exit within \(timeout)" }
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("errand-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
