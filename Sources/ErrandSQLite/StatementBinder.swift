import Errand
import Foundation
import GRDB
import GRDBSQLite

/// Binds values straight to a prepared statement and steps it, for the hottest statements; rows
/// are read with ``ColumnReader``.
///
/// GRDB's `StatementArguments` boxes every value in an existential and validates the arguments
/// on every execution, and its `Row` builds a column-name dictionary for every row, which together
/// cost more than SQLite's own work for a wide row. This binder binds, steps and reads through the
/// SQLite C API instead.
///
/// When it is safe: inside a GRDB database access (`db` is the connection the closure was given),
/// with a statement prepared by that same connection (`db.cachedStatement`), inside a transaction
/// GRDB opened (the writer's `write`, or a reader's `read` for a `SELECT`), for a statement that
/// does not begin or end a transaction or savepoint and does not change the schema. GRDB's own
/// bookkeeping then has nothing to miss. What it skips is GRDB's per-statement hooks: the check for
/// an aborted transaction or a cancelled access (a failing statement here throws its own error,
/// which rolls back the caller's savepoint or transaction), the recording of the region a
/// statement reads for `ValueObservation`, and the per-row change events of transaction observers
/// that observe changes. The store has no such observers; an observer that only watches commits,
/// like the tests' `CommitCounter`, still sees every commit.
struct StatementBinder {
    private let statement: SQLiteStatement
    private let connection: SQLiteConnection?
    private var index: Int32 = 1

    /// Starts binding `statement` from its first parameter.
    init(_ statement: Statement, _ db: Database) {
        self.statement = statement.sqliteStatement
        self.connection = db.sqliteConnection
        sqlite3_reset(self.statement)
    }

    /// SQLite copies strings and blobs bound with this destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ value: String?) {
        if let value {
            var value = value
            value.withUTF8 { bytes in
                _ = sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
            }
        } else {
            sqlite3_bind_null(statement, index)
        }
        index += 1
    }

    mutating func bind(_ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
        index += 1
    }

    mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    /// Binds a flag as 0 or 1.
    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    mutating func bind(_ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
        index += 1
    }

    mutating func bind(_ value: Date?) { bind(value.map(ColumnCoding.time)) }

    /// Binds an error as its four columns: type, name, message, stack (all NULL for no error).
    mutating func bind(_ error: RunError?) {
        bind(error?.type)
        bind(error?.name)
        bind(error?.message)
        bind(error?.stack)
    }

    mutating func bind(_ value: Data?) {
        if let value {
            value.withUnsafeBytes { bytes in
                // A zero-length blob needs a non-null pointer to stay a blob rather than NULL.
                let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)
                _ = sqlite3_bind_blob(statement, index, base, Int32(bytes.count), Self.transient)
            }
        } else {
            sqlite3_bind_null(statement, index)
        }
        index += 1
    }

    /// Writes `rows` with a multi-row statement: up to `rowsPerStatement` rows per execution of
    /// `sql(count)` (a statement for `count` rows, prepared by `db`), each row bound by `bindRow`.
    static func execute<Row>(
        _ rows: some Collection<Row>, rowsPerStatement: Int, sql: (Int) -> String, _ db: Database,
        bindRow: (inout StatementBinder, Row) -> Void
    ) throws {
        var rest = rows[...]
        while !rest.isEmpty {
            let chunk = rest.prefix(rowsPerStatement)
            var binder = StatementBinder(try db.cachedStatement(sql: sql(chunk.count)), db)
            for row in chunk { bindRow(&binder, row) }
            try binder.execute()
            rest = rest.dropFirst(chunk.count)
        }
    }

    /// Runs the statement to completion (it must return no rows), then resets it.
    func execute() throws {
        let code = sqlite3_step(statement)
        defer { sqlite3_reset(statement) }
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Runs the statement to completion, handing each row it returns to `body` (see
    /// ``ColumnReader`` for how long a row stays valid), then resets it.
    func forEachRow(_ body: (ColumnReader) throws -> Void) throws {
        try readRows { row in
            try body(row)
            return true
        }
    }

    /// Steps the statement, handing each row to `body` until it returns `false` or the rows end,
    /// then resets it. Only for a `SELECT`: stopping early would leave the rest of a data-changing
    /// statement's work undone.
    func readRows(_ body: (ColumnReader) throws -> Bool) throws {
        defer { sqlite3_reset(statement) }
        let reader = ColumnReader(statement: statement)
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            if try !body(reader) { return }
        }
    }

    /// The first row the statement returns, read by `body`, or `nil` when it returns none; the
    /// statement then runs to completion (an `UPDATE … RETURNING` has done all its writes with the
    /// first step anyway) and is reset.
    func firstRow<T>(_ body: (ColumnReader) throws -> T) throws -> T? {
        var first: T?
        try forEachRow { row in
            if first == nil { first = try body(row) }
        }
        return first
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: String(cString: sqlite3_sql(statement)))
    }
}
