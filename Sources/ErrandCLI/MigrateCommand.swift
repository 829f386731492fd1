import ArgumentParser
import ErrandPostgres
import Foundation

/// `errand migrate`: brings the database's schema up to date and says what it applied.
///
/// Every command migrates the database it opens unless given `--no-migrate`; this command is for
/// deployments that migrate in a step of their own (with a role that may change tables) before
/// starting processes with `--no-migrate`. Safe while other processes start or run: migrations
/// of one PostgreSQL schema take turns under an advisory lock, and each version is applied once.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database's schema up to date (PostgreSQL: apply the versions not applied yet).",
        discussion: """
            Prints the versions applied, or that the schema was up to date. Fails, naming both versions, when a newer \
            build of Errand migrated the schema to a version this build must not use.
            """
    )

    @OptionGroup var location: DatabaseLocation

    @Flag(help: "Print the outcome as JSON: {\"database\", \"schema\", \"version\", \"applied\"}.")
    var json = false

    func run() async throws {
        let options = try DatabaseOptions.parse(["--database", location.database])
        let shown = DatabaseOptions.redacted(location.database)
        guard options.isPostgres else {
            _ = try options.openStore(create: true)
            print(
                json
                    ? try Self.json(database: shown, schema: nil, version: nil, applied: [])
                    : "the SQLite database \(shown) is up to date (a SQLite file is migrated whenever it is opened)"
            )
            return
        }
        try await options.withPostgresStore(migrating: true) { store, applied in
            let version = try await store.appliedSchemaVersion()
            if json {
                print(try Self.json(database: shown, schema: store.schema, version: version, applied: applied))
            } else if applied.isEmpty {
                print("the PostgreSQL schema \"\(store.schema)\" of \(shown) is up to date at version \(version)")
            } else {
                let list = applied.map(String.init).joined(separator: ", ")
                print("migrated the PostgreSQL schema \"\(store.schema)\" of \(shown) to version \(version) (applied \(list))")
            }
        }
    }

    /// The JSON outcome; `schema` and `version` are null for SQLite.
    static func json(database: String, schema: String?, version: Int?, applied: [Int]) throws -> String {
        let object: [String: Any] = [
            "database": database, "schema": schema ?? NSNull(), "version": version ?? NSNull(), "applied": applied,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
