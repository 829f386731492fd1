import Foundation

/// How a ``Worker`` claims and executes runs.
public struct WorkerConfiguration: Sendable {
    /// The worker's id, recorded with each attempt (default: host, process id and a random suffix).
    public var id: String
    /// The queues to work on; `nil` = the queues of the tasks registered when the worker starts
    /// (so a worker never claims runs it has no handler for). Name queues explicitly to work on
    /// queues of tasks this process does not define; at the worker's start each of those that has
    /// no settings yet gets them, with no limit (``RunStore/createMissingQueues(_:)``).
    public var queues: Set<String>?
    /// At most this many attempts' handlers at once in this worker (a run of cost *n* takes *n*
    /// of them). An attempt whose handler has returned gives its slot back while its outcome
    /// waits to be written with the next batch, unless its task, or the engine, has an
    /// `onSuccess`, `onFailure` or `onComplete` hook (those run in the slot, after the outcome is
    /// recorded); up to `concurrency` attempts can be waiting so. Queue limits count every
    /// attempt until its outcome is recorded.
    public var concurrency: Int
    /// At most this many runs per claim.
    public var claimBatchSize: Int
    /// At most this many batches of attempt outcomes written at once (default 2). More than one
    /// lets the next batch be written while the last one commits: a store with a connection pool
    /// (PostgreSQL) runs them in parallel, and SQLite's group commit takes the second batch's
    /// statements while the first one syncs.
    public var outcomeWriters: Int
    /// How long a claimed attempt is held without a heartbeat; after it the attempt counts as
    /// crashed (its worker lost) and is rescued.
    public var leaseDuration: Duration
    /// How often leases are renewed (well inside ``leaseDuration``).
    public var heartbeatInterval: Duration
    /// How often an idle worker looks for runs triggered by other processes. Runs triggered in the
    /// same process wake it at once.
    public var pollInterval: Duration
    /// On shutdown, how long in-flight attempts may go on before they are cancelled.
    public var shutdownGracePeriod: Duration
    /// Labels the worker advertises (`gpu`, `large`): it claims runs whose task requires only
    /// labels among them (``TaskOptions/requiredLabels``), and no run requiring another.
    public var labels: Set<String>

    /// Creates a worker configuration.
    public init(
        id: String = WorkerConfiguration.defaultID(), queues: Set<String>? = nil, concurrency: Int = 10,
        claimBatchSize: Int = 100, leaseDuration: Duration = .seconds(30), heartbeatInterval: Duration = .seconds(10),
        pollInterval: Duration = .milliseconds(500), shutdownGracePeriod: Duration = .seconds(30),
        labels: Set<String> = [], outcomeWriters: Int = 2
    ) {
        self.id = id
        self.queues = queues
        self.concurrency = concurrency
        self.claimBatchSize = claimBatchSize
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.shutdownGracePeriod = shutdownGracePeriod
        self.labels = labels
        self.outcomeWriters = outcomeWriters
    }

    /// `host-pid-random`.
    public static func defaultID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: .min ... .max))"
    }

    /// Checks the values, naming the first bad one.
    public func validate() throws {
        guard concurrency >= 1 else {
            throw ErrandError.invalidArgument(field: "concurrency", value: String(concurrency), allowed: "must be at least 1")
        }
        for label in labels { try WorkerLabels.validate(label, field: "labels") }
        for queue in queues ?? [] { try TaskName.validate(queue, field: "queues") }
        guard outcomeWriters >= 1 else {
            throw ErrandError.invalidArgument(field: "outcomeWriters", value: String(outcomeWriters), allowed: "must be at least 1")
        }
        guard claimBatchSize >= 1 else {
            throw ErrandError.invalidArgument(field: "claimBatchSize", value: String(claimBatchSize), allowed: "must be at least 1")
        }
        guard heartbeatInterval > .zero, heartbeatInterval < leaseDuration else {
            throw ErrandError.invalidArgument(field: "heartbeatInterval", value: "\(heartbeatInterval)", allowed: "must be positive and shorter than leaseDuration (\(leaseDuration))")
        }
    }
}
