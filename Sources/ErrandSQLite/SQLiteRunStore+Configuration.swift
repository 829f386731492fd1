extension SQLiteRunStore {
    /// The settings of a ``SQLiteRunStore``.
    ///
    /// ```swift
    /// let store = try SQLiteRunStore(path: "data/errand.sqlite", configuration: .init(busyTimeout: .seconds(10)))
    /// ```
    public struct Configuration: Sendable {
        /// When a committed write is safe; ``Durability/full`` by default.
        public var durability: Durability
        /// How long a write waits for another process's transaction before it fails with
        /// `SQLITE_BUSY`. Several processes may share one file; 30 seconds by default.
        public var busyTimeout: Duration
        /// How many connections serve reads at once (at least 1); 4 by default.
        public var readerCount: Int

        /// Creates settings.
        public init(durability: Durability = .full, busyTimeout: Duration = .seconds(30), readerCount: Int = 4) {
            self.durability = durability
            self.busyTimeout = busyTimeout
            self.readerCount = readerCount
        }
    }
}
