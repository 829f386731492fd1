import Errand
import Foundation
import PostgresNIO

/// Reads the columns of one row by position, in the types the store writes them (see
/// ``ColumnCoding``).
struct RowReader {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    func string(_ index: Int) throws -> String { try row[index].decode(String.self) }
    func optionalString(_ index: Int) throws -> String? { try row[index].decode(String?.self) }
    func int(_ index: Int) throws -> Int { try row[index].decode(Int.self) }
    func optionalInt(_ index: Int) throws -> Int? { try row[index].decode(Int?.self) }
    func int64(_ index: Int) throws -> Int64 { try row[index].decode(Int64.self) }
    func optionalInt64(_ index: Int) throws -> Int64? { try row[index].decode(Int64?.self) }
    func bool(_ index: Int) throws -> Bool { try row[index].decode(Bool.self) }
    func optionalBool(_ index: Int) throws -> Bool? { try row[index].decode(Bool?.self) }
    func optionalDouble(_ index: Int) throws -> Double? { try row[index].decode(Double?.self) }
    func data(_ index: Int) throws -> Data { try row[index].decode(Data?.self) ?? Data() }
    func optionalData(_ index: Int) throws -> Data? { try row[index].decode(Data?.self) }
    func strings(_ index: Int) throws -> [String] { try row[index].decode([String]?.self) ?? [] }
    func isNull(_ index: Int) -> Bool { row[index].bytes == nil }

    /// A time stored as seconds (see ``ColumnCoding/time(_:)``).
    func date(_ index: Int) throws -> Date { ColumnCoding.date(try row[index].decode(Double.self)) }
    func optionalDate(_ index: Int) throws -> Date? { try optionalDouble(index).map(ColumnCoding.date) }

    /// The error stored in four columns from `index` on (type, name, message, stack).
    func error(_ index: Int) throws -> RunError? {
        guard let type = try optionalString(index) else { return nil }
        return RunError(
            type: type, name: try optionalString(index + 1) ?? "", message: try optionalString(index + 2) ?? "",
            stack: try optionalString(index + 3)
        )
    }

    /// The origin stored in two columns from `index` on (kind, reference).
    func origin(_ index: Int) throws -> RunOrigin {
        let kind = try string(index)
        guard let parsed = RunOrigin.Kind(rawValue: kind) else {
            throw PostgresStoreError(message: "unknown origin kind \(kind) in column \(index)")
        }
        return RunOrigin(parsed, try optionalString(index + 1))
    }
}
