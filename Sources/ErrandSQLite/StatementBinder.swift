import Foundation
import GRDB
import GRDBSQLite

/// Binds values straight to a prepared statement and steps it, for the hottest statements.
///
/// GRDB's `StatementArguments` boxes every value in an existential and validates the arguments
/// on every execution, which costs more than SQLite's own work for a wide row. This binder
/// writes through the SQLite C API instead. It must only be used on the writer connection, inside
/// a GRDB transaction, with a statement prepared by that connection (`db.cachedStatement`) that
/// does not begin or end a transaction — so GRDB's own bookkeeping has nothing to miss.
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

    mutating func bind(_ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
        index += 1
    }

    mutating func bind(_ value: Date?) { bind(value.map(ColumnCoding.time)) }

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

    /// Runs the statement to completion (it must return no rows), then resets it.
    func execute() throws {
        let code = sqlite3_step(statement)
        defer { sqlite3_reset(statement) }
        guard code == SQLITE_DONE else {
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: String(cString: sqlite3_sql(statement)))
        }
    }
}
