import ArgumentParser
import ErrandSQLite
import Foundation

/// The `--database` and `--durability` options every command that opens a store shares.
///
/// `--database` takes `sqlite:PATH`, `sqlite://PATH` or a plain path (default
/// `.errand/errand.sqlite`; parent directories are created). `--durability` is `full` (the
/// default: every commit is synced), `normal` or `off` (see ``SQLiteRunStore/Durability``).
struct DatabaseOptions: ParsableArguments {
    /// The default database file, relative to the working directory.
    static let defaultPath = ".errand/errand.sqlite"

    @Option(
        help: ArgumentHelp(
            "The database: sqlite:PATH, sqlite://PATH or a file path (default \(DatabaseOptions.defaultPath)).",
            valueName: "url-or-path"
        ),
        transform: { try DatabaseOptions.path(from: $0) }
    )
    var database: String = DatabaseOptions.defaultPath

    @Option(help: "When a commit is safe: full (synced on every commit), normal or off.")
    var durability: DurabilityLevel = .full

    /// Opens the SQLite store (creating the file and its directories when `create` is true).
    func openStore(create: Bool = true) throws -> SQLiteRunStore {
        if !create, !FileManager.default.fileExists(atPath: database) {
            throw CLIError(
                "no Errand database at \"\(database)\": give the file with --database, or create it with `errand trigger` or `errand demo`"
            )
        }
        do {
            let directory = URL(fileURLWithPath: database).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try SQLiteRunStore(path: database, configuration: .init(durability: durability.storeDurability))
        } catch {
            throw CLIError("cannot open the database \"\(database)\": \(error)")
        }
    }

    /// The file path a `--database` value names; throws naming what is allowed.
    static func path(from value: String) throws -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        let allowed = "use sqlite:PATH, sqlite://PATH or a file path, for example sqlite:.errand/errand.sqlite"
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres:") || lowered.hasPrefix("postgresql:") {
            throw CLIError("PostgreSQL is not available yet in this build; \(allowed)")
        }
        var path = text
        if lowered.hasPrefix("sqlite://") {
            path = String(text.dropFirst("sqlite://".count))
        } else if lowered.hasPrefix("sqlite:") {
            path = String(text.dropFirst("sqlite:".count))
        } else if let scheme = text.range(of: "://") {
            throw CLIError("unknown database scheme \"\(text[..<scheme.lowerBound])\"; \(allowed)")
        }
        guard !path.isEmpty else { throw CLIError("the path is empty; \(allowed)") }
        guard path != ":memory:" else {
            throw CLIError("an in-memory database cannot be shared between commands; \(allowed)")
        }
        path = NSString(string: path).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw CLIError("\"\(path)\" is a directory; give the database file inside it, for example \(path.hasSuffix("/") ? path : path + "/")errand.sqlite")
        }
        return path
    }
}
