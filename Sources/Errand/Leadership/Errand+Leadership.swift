import Foundation

extension Errand {
    /// Makes this engine's leader election and makes its ``Scheduler`` and ``Maintenance`` follow
    /// it: they work only while this process leads. Run the returned service beside them.
    ///
    /// - Throws: ``ErrandError`` (`unsupported`) when the store is not a ``LeaseStore``, or
    ///   (`invalid_argument`) when a setting is out of range, or when an election was made already.
    public func leaderElection(_ configuration: LeaderElectionConfiguration = LeaderElectionConfiguration()) throws -> LeaderElection {
        try configuration.validate()
        guard let store = store as? any LeaseStore else {
            throw ErrandError(code: .unsupported, message: "the store \(type(of: store)) does not support leases, so it cannot elect a leader")
        }
        let election = LeaderElection(store: store, clock: clock, logger: logger, configuration: configuration)
        try leadership.withLock { current in
            if current != nil {
                throw ErrandError(code: .invalidArgument, message: "this engine already has a leader election; make one per engine", field: "leaderElection")
            }
            current = election
        }
        return election
    }

    /// The engine's leader election, if one was made.
    public var election: LeaderElection? { leadership.withLock { $0 } }
}
