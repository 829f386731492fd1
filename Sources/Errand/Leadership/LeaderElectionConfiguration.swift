import Foundation

/// The settings of a ``LeaderElection``.
public struct LeaderElectionConfiguration: Sendable {
    /// The lease's name: processes electing under one name elect one leader. Default
    /// `errand.leader`.
    public var name: String
    /// This process's identity as a holder; unique per process. Default: host name, process id
    /// and a random suffix.
    public var holder: String
    /// How long a taken or renewed lease lasts. When the leader dies, another process takes over
    /// when this time has passed since its last renewal. Default 15 seconds.
    public var leaseDuration: Duration
    /// How often the leader renews its lease, and the longest a follower waits between tries.
    /// Must be less than half of ``leaseDuration`` so one failed renewal does not lose the lease.
    /// Default 5 seconds.
    public var renewInterval: Duration

    /// Creates the settings.
    public init(
        name: String = "errand.leader",
        holder: String = LeaderElectionConfiguration.defaultHolder(),
        leaseDuration: Duration = .seconds(15),
        renewInterval: Duration = .seconds(5)
    ) {
        self.name = name
        self.holder = holder
        self.leaseDuration = leaseDuration
        self.renewInterval = renewInterval
    }

    /// A holder name unique to this process: `host:pid:random`.
    public static func defaultHolder() -> String {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(host):\(pid):\(suffix)"
    }

    /// Checks the settings; the error names the field at fault.
    public func validate() throws {
        if name.isEmpty || name.count > 128 {
            throw ErrandError(code: .invalidArgument, message: "leader election name must have 1 to 128 characters, got \(name.count)", field: "name")
        }
        if holder.isEmpty || holder.count > 256 {
            throw ErrandError(code: .invalidArgument, message: "leader election holder must have 1 to 256 characters, got \(holder.count)", field: "holder")
        }
        if leaseDuration <= .zero {
            throw ErrandError(code: .invalidArgument, message: "leaseDuration must be positive, got \(leaseDuration)", field: "leaseDuration")
        }
        if renewInterval <= .zero || renewInterval * 2 >= leaseDuration {
            throw ErrandError(
                code: .invalidArgument,
                message: "renewInterval must be positive and less than half of leaseDuration (\(leaseDuration)), got \(renewInterval)",
                field: "renewInterval"
            )
        }
    }
}
