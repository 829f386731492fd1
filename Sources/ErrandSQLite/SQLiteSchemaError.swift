/// A database file this build must not open: a newer build migrated it to a version that older
/// builds must not use.
public enum SQLiteSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A newer build migrated the file at `path` to version `applied`, which only builds that
    /// know version `oldestCompatible` or later may use; this build knows versions up to `known`.
    case tooNew(path: String, applied: Int, oldestCompatible: Int, known: Int)

    /// What is wrong and what to do: both versions, and "upgrade this process".
    public var description: String {
        switch self {
        case let .tooNew(path, applied, oldestCompatible, known):
            "the SQLite database \"\(path)\" is at schema version \(applied), which a newer build of Errand applied and which "
                + "only builds that know version \(oldestCompatible) or later may use; this build knows versions up to \(known): "
                + "upgrade this process"
        }
    }
}
