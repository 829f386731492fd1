import Errand
import Foundation
import GRDB
import GRDBSQLite

/// Reads the current row of a statement stepped by ``StatementBinder`` straight through the SQLite
/// C API, by column index.
///
/// GRDB's `Row` builds a lowercased column-name dictionary for every row and decodes each value
/// through generic existential code, which costs more than SQLite's own work for a wide row read
/// on the writer's hot path. A reader is only valid for the row it was made for (until the next
/// `sqlite3_step` or `sqlite3_reset` of its statement), and it is only safe where
/// ``StatementBinder`` is (a statement prepared by the connection of the current GRDB access,
/// inside a transaction GRDB opened). Text and blobs are copied out, so values outlive the row.
///
/// Values are read as the columns store them (see ``ColumnCoding``): a `NULL` read as a non-optional
/// number is 0, as text the empty string; the schema's `NOT NULL` constraints rule these out.
struct ColumnReader {
    let statement: SQLiteStatement

    /// Whether the column is `NULL`.
    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(statement, index) == SQLITE_NULL
    }

    func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(statement, index)
    }

    func int(_ index: Int32) -> Int {
        Int(sqlite3_column_int64(statement, index))
    }

    func double(_ index: Int32) -> Double {
        sqlite3_column_double(statement, index)
    }

    func optionalDouble(_ index: Int32) -> Double? {
        isNull(index) ? nil : double(index)
    }

    /// A stored time (see ``ColumnCoding/time(_:)``).
    func date(_ index: Int32) -> Date {
        ColumnCoding.date(double(index))
    }

    func optionalDate(_ index: Int32) -> Date? {
        isNull(index) ? nil : date(index)
    }

    /// Text, decoded as UTF-8 (invalid sequences repaired), with its exact byte length.
    func string(_ index: Int32) -> String {
        // `sqlite3_column_text` first, then `sqlite3_column_bytes`, as SQLite's documentation asks.
        guard let text = sqlite3_column_text(statement, index) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalString(_ index: Int32) -> String? {
        isNull(index) ? nil : string(index)
    }

    /// A blob's bytes (an empty blob is empty data).
    func data(_ index: Int32) -> Data {
        guard let bytes = sqlite3_column_blob(statement, index) else { return Data() }
        let count = Int(sqlite3_column_bytes(statement, index))
        return Data(bytes: bytes, count: count)
    }

    func optionalData(_ index: Int32) -> Data? {
        isNull(index) ? nil : data(index)
    }
}

extension ColumnReader {
    /// Stored tags (see ``ColumnCoding/tags(_:)``): the JSON arrays the store writes are parsed
    /// here directly; anything else (escapes, control characters, other spacing) goes through
    /// ``ColumnCoding/tags(json:)``, so both read the same tags.
    func tags(_ index: Int32) throws -> [String] {
        guard let text = sqlite3_column_text(statement, index) else { return try ColumnCoding.tags(json: "") }
        let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, index)))
        if let tags = Self.simpleTags(bytes) { return tags }
        return try ColumnCoding.tags(json: String(decoding: bytes, as: UTF8.self))
    }

    /// `["a","b"]` with no escapes or control characters, or `nil`.
    private static func simpleTags(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), close = UInt8(ascii: "]")
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "["), bytes[bytes.count - 1] == close else { return nil }
        if bytes.count == 2 { return [] }
        var tags: [String] = []
        var position = 1
        while true {
            guard position < bytes.count, bytes[position] == quote else { return nil }
            let start = position + 1
            var end = start
            while end < bytes.count, bytes[end] != quote {
                if bytes[end] == UInt8(ascii: "\\") || bytes[end] < 0x20 { return nil }
                end += 1
            }
            guard end + 1 < bytes.count else { return nil }
            tags.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            position = end + 1
            if bytes[position] == close { return position == bytes.count - 1 ? tags : nil }
            guard bytes[position] == comma else { return nil }
            position += 1
        }
    }
}

extension ColumnReader {
    /// The origin stored in two columns from `index`: kind, then reference (see ``ColumnCoding``).
    func origin(_ index: Int32) throws -> RunOrigin {
        // The default kind without building a string.
        if equals(index, "app") { return RunOrigin(.app, optionalString(index + 1)) }
        return try ColumnCoding.origin(kind: string(index), reference: optionalString(index + 1))
    }

    /// Whether a text column holds exactly `ascii` (compared bytewise, without building a string).
    func equals(_ index: Int32, _ ascii: StaticString) -> Bool {
        guard let text = sqlite3_column_text(statement, index) else { return false }
        let count = Int(sqlite3_column_bytes(statement, index))
        guard count == ascii.utf8CodeUnitCount else { return false }
        return memcmp(text, ascii.utf8Start, count) == 0
    }
}
