extension SQLiteRunStore {
    /// When a committed write is safe: what `PRAGMA synchronous` the writer uses (the journal is
    /// always WAL).
    ///
    /// ```swift
    /// let store = try SQLiteRunStore(path: "errand.sqlite")  // .full
    /// let fast = try SQLiteRunStore(path: "bench.sqlite", configuration: .init(durability: .normal))
    /// ```
    public struct Durability: Sendable, Hashable, CustomStringConvertible {
        private enum Level: String {
            case full = "FULL"
            case normal = "NORMAL"
            case off = "OFF"
        }

        private let level: Level

        /// WAL with `synchronous = FULL`: every commit is synced to disk before it returns, so a
        /// committed run survives a process crash and a power loss. The default.
        public static let full = Durability(level: .full)

        /// WAL with `synchronous = NORMAL`: a commit survives a crash of the process, but the last
        /// commits may be lost on power loss or an operating-system crash (the database stays
        /// consistent). An opt-in for throughput where that loss is acceptable.
        public static let normal = Durability(level: .normal)

        /// WAL with `synchronous = OFF`: nothing is synced; a power loss may lose commits and, in
        /// rare cases, corrupt the file. For benchmarks only.
        public static let off = Durability(level: .off)

        /// The `PRAGMA synchronous` value.
        var pragmaValue: String { level.rawValue }

        /// `full`, `normal` or `off`.
        public var description: String { level.rawValue.lowercased() }
    }
}
