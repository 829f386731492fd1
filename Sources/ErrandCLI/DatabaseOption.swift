import ArgumentParser
import Errand
import ErrandPostgres
import ErrandSQLite
import Foundation
import Logging
import PostgresNIO

/// What every CLI command needs of a store: runs, schedules and leases. Both stores are all three.
typealias CLIStore = RunStore & ScheduleStore & LeaseStore

/// The `--database` option alone (see ``DatabaseOptions``), for commands that take no other
/// database option (`errand migrate`).
struct DatabaseLocation: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The database: sqlite:PATH, sqlite://PATH, a file path (default \(DatabaseOptions.defaultPath)) or postgres://user@host:port/database.",
            valueName: "url-or-path"
        ),
        transform: { try DatabaseOptions.path(from: $0) }
    )
    var database: String = DatabaseOptions.defaultPath
}

/// The `--database`, `--durability` and `--[no-]migrate` options every command that opens a store
/// shares.
///
/// `--database` takes `sqlite:PATH`, `sqlite://PATH` or a plain path (default
/// `.errand/errand.sqlite`; parent directories are created), or a PostgreSQL URL
/// `postgres://user[:password]@host[:port]/database` (migrated on open, unless `--no-migrate`: then
/// its schema must already be at this build's version). `--durability` is `full` (the default:
/// every commit is synced), `normal` or `off` (see ``SQLiteRunStore/Durability``).
struct DatabaseOptions: ParsableArguments {
    /// The default database file, relative to the working directory.
    static let defaultPath = ".errand/errand.sqlite"

    @OptionGroup var location: DatabaseLocation

    /// The database `--database` names: a SQLite file path or a PostgreSQL URL.
    var database: String { location.database }

    @Option(help: "When a commit is safe: full (synced on every commit), normal or off.")
    var durability: DurabilityLevel = .full

    @Flag(
        inversion: .prefixedNo,
        help: """
            Bring a PostgreSQL database's schema up to date when opening it (the default). With --no-migrate it must \
            already be (run `errand migrate`), so processes whose database role may not change tables can run. A SQLite \
            file is always brought up to date.
            """
    )
    var migrate = true

    /// How long opening a PostgreSQL database (connecting and migrating) may take.
    static let postgresOpenLimit: Duration = .seconds(10)

    /// Whether `--database` names a PostgreSQL database.
    var isPostgres: Bool { Self.isPostgresURL(database) }

    static func isPostgresURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }

    /// Runs `body` with the store `--database` names: the SQLite file (see ``openStore(create:)``)
    /// or the PostgreSQL database (see ``withPostgresStore(migrating:_:)``, migrating as
    /// `--[no-]migrate` says).
    func withStore<T>(create: Bool = true, _ body: (any CLIStore) async throws -> T) async throws -> T {
        guard isPostgres else { return try await body(try openStore(create: create)) }
        return try await withPostgresStore(migrating: migrate) { store, _ in try await body(store) }
    }

    /// Runs `body` with the PostgreSQL store `--database` names, connected and migrated (or, when
    /// not `migrating`, checked to be at this build's schema version) within
    /// ``postgresOpenLimit`` (a database that cannot be reached is an error naming it), its
    /// clock compared with this process's (``PostgresRunStore/checkClock()``, which warns when
    /// they are a second or more apart), and disconnected when `body` returns. `body` gets the schema versions the opening applied.
    func withPostgresStore<T>(migrating: Bool, _ body: (PostgresRunStore, [Int]) async throws -> T) async throws -> T {
        var logger = Logger(label: "Errand.PostgresRunStore")
        logger.logLevel = .warning
        let configuration: PostgresClient.Configuration
        let settings: PostgresRunStore.Configuration
        do {
            configuration = try PostgresRunStore.clientConfiguration(url: database, maximumConnections: 20)
            settings = try PostgresRunStore.Configuration(url: database)
        } catch {
            throw CLIError("invalid --database \"\(Self.redacted(database))\": \(error)")
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let store: PostgresRunStore
        do {
            store = try PostgresRunStore(client: client, configuration: settings, logger: logger)
        } catch {
            throw CLIError("invalid --database \"\(Self.redacted(database))\": \(error)")
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let applied = try await open(store, migrating: migrating)
            await store.checkClock()
            return try await body(store, applied)
        }
    }

    /// Migrates the PostgreSQL store (or checks its schema), failing with the database named when
    /// that takes longer than ``postgresOpenLimit`` (an unreachable server: the pool would retry
    /// for ever); returns the versions applied.
    private func open(_ store: PostgresRunStore, migrating: Bool) async throws -> [Int] {
        let shown = Self.redacted(database)
        let limit = Self.postgresOpenLimit
        do {
            return try await withThrowingTaskGroup(of: [Int]?.self) { group in
                group.addTask {
                    if migrating { return try await store.migrate() }
                    try await store.verifySchema()
                    return []
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                defer { group.cancelAll() }
                guard let applied = try await group.next() ?? nil else {
                    let what = migrating ? "connection and migration" : "connection and schema check"
                    throw CLIError("cannot open the database \"\(shown)\": no \(what) within \(limit); is the server running and reachable?")
                }
                return applied
            }
        } catch let error as CLIError {
            throw error
        } catch let error as PostgresSchemaError {
            throw CLIError("cannot use the database \"\(shown)\": \(error)")
        } catch {
            throw CLIError("cannot open the database \"\(shown)\": \(String(reflecting: error))")
        }
    }

    /// A database URL with its password hidden, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

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
            var logger = Logger(label: "Errand.SQLiteRunStore")
            logger.logLevel = .warning
            return try SQLiteRunStore(path: database, configuration: .init(durability: durability.storeDurability), logger: logger)
        } catch let error as SQLiteSchemaError {
            throw CLIError("cannot use the database \"\(database)\": \(error)")
        } catch {
            throw CLIError("cannot open the database \"\(database)\": \(error)")
        }
    }

    /// The file path a `--database` value names; throws naming what is allowed.
    static func path(from value: String) throws -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        let allowed = "use sqlite:PATH, sqlite://PATH, a file path (for example sqlite:.errand/errand.sqlite) or postgres://user@host:port/database"
        let lowered = text.lowercased()
        if isPostgresURL(text) {
            guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty, url.path.count > 1 else {
                throw CLIError("invalid --database \"\(redacted(text))\": a PostgreSQL URL needs a host and a database name; \(allowed)")
            }
            return text
        }
        if lowered.hasPrefix("postgres:") || lowered.hasPrefix("postgresql:") {
            throw CLIError("invalid --database \"\(text)\": a PostgreSQL URL starts with postgres://; \(allowed)")
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
