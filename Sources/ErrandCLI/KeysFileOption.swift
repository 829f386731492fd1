import ArgumentParser
import Foundation

/// The `--keys` option of `errand serve` and `errand keys`: the API key file, by default
/// `keys.json` next to the database (`.errand/keys.json`).
struct KeysFileOption: ParsableArguments {
    @Option(help: ArgumentHelp("The API key file (default: keys.json next to the database).", valueName: "path"))
    var keys: String?

    /// The key file for a database path (`.errand/keys.json` for a PostgreSQL database).
    func path(database: String) -> String {
        if let keys { return NSString(string: keys).expandingTildeInPath }
        if DatabaseOptions.isPostgresURL(database) { return ".errand/keys.json" }
        return URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("keys.json").path
    }
}
