import GRDB

/// A `WHERE` clause built from optional conditions, each with its one argument: what the listing
/// queries (runs, schedules) share.
struct SQLFilter {
    private var conditions: [String] = []
    private var values: [(any DatabaseValueConvertible)?] = []

    /// Adds `condition` (with one `?`) and its value, when the value is there.
    mutating func add<Value: DatabaseValueConvertible>(_ condition: String, _ value: Value?) {
        guard let value else { return }
        conditions.append(condition)
        values.append(value)
    }

    /// `WHERE a AND b …`, or nothing when there is no condition.
    var clause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// The condition values followed by `trailing` (a `LIMIT`, say).
    func arguments(_ trailing: (any DatabaseValueConvertible)...) -> StatementArguments {
        StatementArguments(values + trailing.map { $0 })
    }
}
