/// How often the ``Maintenance`` service does each of its jobs.
public struct MaintenanceConfiguration: Sendable {
    /// How often to look for attempts whose worker died (expired leases).
    public var rescueInterval: Duration
    /// How often to expire runs whose time to live passed.
    public var expiryInterval: Duration
    /// How often to prune finished runs past their retention.
    public var pruneInterval: Duration
    /// Rows per store call.
    public var batchSize: Int

    /// Creates a maintenance configuration.
    public init(
        rescueInterval: Duration = .seconds(5), expiryInterval: Duration = .seconds(1),
        pruneInterval: Duration = .seconds(60), batchSize: Int = 1000
    ) {
        self.rescueInterval = rescueInterval
        self.expiryInterval = expiryInterval
        self.pruneInterval = pruneInterval
        self.batchSize = batchSize
    }
}
