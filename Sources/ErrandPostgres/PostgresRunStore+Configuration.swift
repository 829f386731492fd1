import Errand
import Foundation
import PostgresNIO

extension PostgresRunStore {
    /// The settings of a ``PostgresRunStore``.
    public struct Configuration: Sendable {
        /// How many times a transaction that lost a deadlock or a serialization conflict is run
        /// again before its error is thrown; 5 by default.
        public var transactionRetries: Int
        /// How long the change feed waits before listening again after its connection failed;
        /// one second by default.
        public var listenRetryDelay: Duration
        /// How long one operation (waiting for a pooled connection, then its statements) may take
        /// before it fails with a ``PostgresStoreError`` and is abandoned; `nil` for no limit.
        /// 30 seconds by default. The bound is there for calls that would otherwise wait for ever
        /// when the server restarts at the wrong moment; the engine retries what failed. Schema
        /// migrations have no limit.
        public var operationTimeout: Duration?
        /// Whether the hot statements (the one-statement claim, run inserts, the next due time,
        /// lease renewals) are prepared once per connection and then only executed; `true` by
        /// default. Preparing saves the server parsing and planning them on every call, which
        /// costs more than running them. Turn it off behind a connection pooler that hands a
        /// session's statements to different server connections (PgBouncer before 1.21 in
        /// transaction mode).
        public var preparedStatements: Bool
        /// Whether a claim's commit waits until PostgreSQL has written it to disk, as the
        /// database's `synchronous_commit` says (`on` is PostgreSQL's default); `true` by default.
        ///
        /// A claim only records that runs are executing, and which worker holds them. With
        /// `false` its commit returns without waiting for the disk (`synchronous_commit = off`
        /// for that transaction), which takes a disk flush off every pickup: on a server whose
        /// disk flushes slowly (a network volume) that is the flush's whole time; on this
        /// project's test machine (about 0.1 ms a flush) it took 0.15 ms off the median claim
        /// and 0.6 ms off the 99th percentile. The commit is visible to every process at once,
        /// and reaches the disk within 0.6 s (three `wal_writer_delay`s) or with the next trigger
        /// or outcome, whichever is first. Only a crash of the database server (not a restart)
        /// can lose it: its runs are then `queued` again and run a second time, possibly while
        /// the first attempt still runs, as after a lapsed lease. Triggers and outcomes always
        /// wait for the disk, and so do claims that take runs of a queue with a concurrency
        /// limit (a lost one could let the queue run past its limit).
        public var durableClaims: Bool

        /// Creates settings.
        public init(
            transactionRetries: Int = 5, listenRetryDelay: Duration = .seconds(1), operationTimeout: Duration? = .seconds(30),
            preparedStatements: Bool = true, durableClaims: Bool = true
        ) {
            self.transactionRetries = transactionRetries
            self.listenRetryDelay = listenRetryDelay
            self.operationTimeout = operationTimeout
            self.preparedStatements = preparedStatements
            self.durableClaims = durableClaims
        }

        /// The settings a database URL asks for: `prepared_statements=off` (or `on`, the
        /// default) in its query sets ``preparedStatements``, `durable_claims=off` (or `on`, the
        /// default) sets ``durableClaims``; the other settings keep their defaults.
        ///
        /// - Throws: ``Errand/ErrandError`` (field `prepared_statements` or `durable_claims`)
        ///   for another value.
        public init(url: String) throws {
            self.init()
            let items = URLComponents(string: url)?.queryItems ?? []
            func flag(_ name: String) throws -> Bool? {
                guard let value = items.first(where: { $0.name == name })?.value else { return nil }
                switch value.lowercased() {
                case "on", "true": return true
                case "off", "false": return false
                default: throw ErrandError.invalidArgument(field: name, value: value, allowed: "on or off")
                }
            }
            if let prepared = try flag("prepared_statements") { preparedStatements = prepared }
            if let durable = try flag("durable_claims") { durableClaims = durable }
        }
    }

    /// A `PostgresClient` configuration for a `postgres://user:password@host:port/database` URL
    /// (`postgresql://` too; port 5432 and database = user by default), set up as the store
    /// wants its sessions: `idle_in_transaction_session_timeout` of 10 seconds, so a process that
    /// dies inside a transaction never holds its locks (a queue's claim lock, say) for long.
    ///
    /// Every session names its process in `pg_stat_activity.application_name`: `errand HOST pid
    /// N` by default (the host name shortened to fit PostgreSQL's 63 bytes), or the URL's
    /// `application_name` (as libpq reads it), so an operator can tell which process holds a
    /// connection, a lock or a long transaction.
    ///
    /// Only unencrypted connections are made (`sslmode=disable`, the default here); a URL asking
    /// for another `sslmode` is refused. The store's own settings in the URL
    /// (`prepared_statements`, `durable_claims`) are read by ``Configuration/init(url:)``.
    ///
    /// - Parameter maximumConnections: The pool's size.
    /// - Throws: ``Errand/ErrandError`` (field `database`) for a URL that is not such a URL, or
    ///   (field `application_name`) for a name PostgreSQL would alter: longer than 63 bytes, or with
    ///   a character outside printable ASCII.
    public static func clientConfiguration(url: String, maximumConnections: Int = 20) throws -> PostgresClient.Configuration {
        let allowed = "postgres://user[:password]@host[:port][/database][?sslmode=disable&application_name=NAME&prepared_statements=on|off&durable_claims=on|off]"
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
        else {
            throw ErrandError.invalidArgument(field: "database", value: redacted(url), allowed: allowed)
        }
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value, mode != "disable" {
            throw ErrandError.invalidArgument(field: "sslmode", value: mode, allowed: "disable (TLS connections are not supported yet)")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: path.isEmpty ? user : (path.removingPercentEncoding ?? path), tls: .disable
        )
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "10s"),
            ("application_name", try applicationName(components.queryItems?.first { $0.name == "application_name" }.map { $0.value ?? "" })),
        ]
        return configuration
    }

    /// The URL's `application_name`, checked, or ``defaultApplicationName`` when it has none.
    static func applicationName(_ given: String?) throws -> String {
        guard let given else { return defaultApplicationName }
        guard !given.isEmpty, given.utf8.count <= 63, given.utf8.allSatisfy(isKept) else {
            throw ErrandError.invalidArgument(
                field: "application_name", value: given, allowed: "1 to 63 printable ASCII characters (PostgreSQL alters any other name)"
            )
        }
        return given
    }

    /// `errand HOST pid N` for this process, its host name shortened (and any byte PostgreSQL
    /// would alter left out) so the whole fits in 63 bytes.
    static var defaultApplicationName: String {
        let pid = " pid \(ProcessInfo.processInfo.processIdentifier)"
        let host = ProcessInfo.processInfo.hostName.utf8.filter(isKept).prefix(63 - "errand ".utf8.count - pid.utf8.count)
        return "errand " + String(decoding: host, as: UTF8.self) + pid
    }

    /// Whether PostgreSQL keeps this byte of an application name as it is (it replaces the
    /// others with `?`).
    private static func isKept(_ byte: UInt8) -> Bool { (32...126).contains(byte) }

    /// The URL with its password replaced by `***`, for error messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
