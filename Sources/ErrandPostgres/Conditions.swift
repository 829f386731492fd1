import PostgresNIO

/// A `WHERE` clause built from optional filters, each bound as it is added: what the listings
/// (runs, events, schedules) share.
struct Conditions {
    var binder = Binder()
    private var terms: [String] = []

    /// Adds the term `make(placeholder)` when `value` is there.
    mutating func add<Value: PostgresDynamicTypeEncodable>(_ value: Value?, _ type: String, _ make: (String) -> String) {
        guard let value else { return }
        terms.append(make(binder.add(value, type)))
    }

    /// `WHERE a AND b …`, or nothing when there is no term.
    var clause: String { terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ") }
}
