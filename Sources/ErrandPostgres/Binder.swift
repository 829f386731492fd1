import PostgresNIO

/// Collects the bound values of a statement whose SQL text is assembled piece by piece (multi-row
/// `VALUES` lists, optional filters), handing back each value's placeholder.
///
/// Every placeholder carries its type (`$3::float8`), so a `NULL` needs no context to be typed and
/// a `VALUES` list outside an `INSERT` has the column types it should.
struct Binder {
    private(set) var bindings = PostgresBindings()

    /// Binds `value` (`NULL` when `nil`) and returns its placeholder, cast to `type`.
    mutating func add<Value: PostgresThrowingDynamicTypeEncodable>(_ value: Value?, _ type: String) throws -> String {
        try bindings.append(value)
        return "$\(bindings.count)::\(type)"
    }

    /// Binds a value that cannot fail to encode (`NULL` when `nil`) and returns its placeholder.
    mutating func add<Value: PostgresDynamicTypeEncodable>(_ value: Value?, _ type: String) -> String {
        bindings.append(value)
        return "$\(bindings.count)::\(type)"
    }

    /// The statement `sql` with the values bound so far.
    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
