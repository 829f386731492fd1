/// A store's schema that this build cannot run on: not migrated far enough, or migrated by a newer
/// build to a version that older builds must not use.
public enum PostgresSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The schema is at version `applied` (0: no Errand tables yet) and this build needs
    /// `required`: run ``PostgresRunStore/migrate()`` (`errand migrate`).
    case behind(schema: String, applied: Int, required: Int)
    /// A newer build migrated the schema to version `applied`, which only builds that know
    /// version `oldestCompatible` or later may use; this build knows versions up to `known`.
    case tooNew(schema: String, applied: Int, oldestCompatible: Int, known: Int)

    /// What is wrong and what to do: both versions, and `errand migrate` or "upgrade this
    /// process".
    public var description: String {
        switch self {
        case let .behind(schema, applied, required):
            let state = applied == 0 ? "has no Errand tables" : "is at version \(applied)"
            return "the PostgreSQL schema \"\(schema)\" \(state); this build needs version \(required): run `errand migrate` "
                + "(or PostgresRunStore.migrate()) first"
        case let .tooNew(schema, applied, oldestCompatible, known):
            return "the PostgreSQL schema \"\(schema)\" is at version \(applied), which a newer build of Errand applied and which "
                + "only builds that know version \(oldestCompatible) or later may use; this build knows versions up to \(known): "
                + "upgrade this process"
        }
    }
}
