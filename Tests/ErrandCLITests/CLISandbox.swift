import Foundation

/// A temporary directory with a database path, for driving `errand` in one test.
struct CLISandbox {
    /// The directory (the processes' working directory).
    let directory: URL
    /// The database file in it.
    let database: String

    init() throws {
        directory = try ErrandBinary.temporaryDirectory()
        database = directory.appendingPathComponent("errand.sqlite").path
    }

    /// Runs `errand` with `arguments` followed by `--database <this sandbox's database>`.
    func errand(_ arguments: String...) async throws -> ErrandBinary.Output {
        try await ErrandBinary.run(arguments + ["--database", database], in: directory)
    }

    /// Runs `errand` with exactly `arguments`.
    func errandWithoutDatabase(_ arguments: String...) async throws -> ErrandBinary.Output {
        try await ErrandBinary.run(arguments, in: directory)
    }

    /// Triggers a run and returns its id, failing the test's expectation on a non-zero exit.
    func trigger(_ task: String, _ options: String...) async throws -> String {
        let output = try await ErrandBinary.run(["trigger", task] + options + ["--database", database], in: directory)
        guard output.status == 0 else { throw Failure("errand trigger \(task) failed (\(output.status)): \(output.stderr)") }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The JSON object a command printed.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Failure("expected a JSON object, got: \(text)")
        }
        return object
    }

    /// Removes the directory.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A test helper's failure.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
