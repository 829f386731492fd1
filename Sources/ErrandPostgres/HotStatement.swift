import PostgresNIO

/// A statement PostgreSQL parses once per connection and then only binds and executes: the hot
/// statements whose planning costs more server time than running them (the one-statement claim,
/// run inserts, the next due time, lease renewals).
///
/// PostgresNIO prepares a ``PostgresPreparedStatement`` by its type's static `name` and `sql`,
/// which it reads in ``PostgresConnection/execute(_:logger:file:line:)``, in the calling task,
/// before it suspends (1.33; its error path reads `sql` again in the same task). The store's
/// statement text is only known at run time (it names the store's schema), so the two static
/// properties read a task-local value that ``Session/preparedRows(_:)`` binds around that one
/// call. The name is derived from the text (``name(for:)``), so two texts never share a name on
/// a connection, and the same text always gets the same one.
struct HotStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow

    /// The name and text of the statement being executed in this task.
    @TaskLocal static var current = Text(name: "", sql: "")

    /// A statement's name on the server and its SQL.
    struct Text: Sendable {
        var name: String
        var sql: String
    }

    static var name: String { current.name }
    static var sql: String { current.sql }

    /// The values bound to the statement's placeholders.
    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }

    /// `errand_` and a 64-bit FNV-1a hash of `sql` in hex: under PostgreSQL's 63-byte limit on
    /// names (a longer one is cut, and two could then clash).
    static func name(for sql: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "errand_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
