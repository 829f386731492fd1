import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Elects one leader among the processes sharing a store, as a swift-service-lifecycle `Service`,
/// so that leader-only work (the ``Scheduler`` and ``Maintenance``) runs in exactly one process at
/// a time.
///
/// Each process runs one election under the same ``LeaderElectionConfiguration/name``. The
/// election takes a lease (``LeaseStore``) and renews it every
/// ``LeaderElectionConfiguration/renewInterval``; the others try again when the lease runs out.
/// When the leader dies, another process takes over ``LeaderElectionConfiguration/leaseDuration``
/// after its last renewal at the latest; when it shuts down gracefully, it gives the lease up and
/// another takes over at its next try.
///
/// A process considers itself leader only until the expiry of the lease it last took, so a leader
/// cut off from the store stops leading when its lease runs out, before another can take it. The
/// leader-only jobs are guarded in the store as well (a schedule occurrence fires once, a rescue
/// applies once), so a short overlap around a takeover costs duplicated reads, never duplicated
/// work.
///
/// ```swift
/// let election = errand.leaderElection()   // the scheduler and maintenance now follow it
/// let services: [any Service] = [election, errand.worker(), errand.scheduler(), errand.maintenance()]
/// ```
public final class LeaderElection: Service, Sendable {
    /// The settings.
    public let configuration: LeaderElectionConfiguration
    private let store: any LeaseStore
    private let clock: any WallClock
    private let logger: Logger
    private let wake = WakeSignal()
    private let state = Mutex(State())
    private let leaderGauge: Gauge

    private struct State {
        /// When this process's lease runs out; nil when it does not hold it.
        var leaseUntil: Date?
        /// The holder last seen.
        var holder: String?
        var shuttingDown = false
        /// Signalled on every change of leadership (see ``LeaderElection/update(leaseUntil:holder:)``).
        var listeners: [WakeSignal] = []
    }

    init(store: any LeaseStore, clock: any WallClock, logger: Logger, configuration: LeaderElectionConfiguration) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        self.leaderGauge = Gauge(label: "errand_leader", dimensions: [("lease", configuration.name)])
    }

    /// Whether this process leads now: it holds the lease and the lease has not run out.
    public var isLeader: Bool {
        let until = state.withLock { $0.leaseUntil }
        guard let until else { return false }
        return clock.now < until
    }

    /// The holder last seen (this process's ``LeaderElectionConfiguration/holder`` when it leads),
    /// or nil before the first try.
    public var currentHolder: String? { state.withLock { $0.holder } }

    /// Signals `signal` whenever this process gains or loses leadership.
    func register(_ signal: WakeSignal) {
        state.withLock { $0.listeners.append(signal) }
    }

    /// Tries for the lease (and renews it while leading) until graceful shutdown or cancellation.
    /// On graceful shutdown the lease is given up, so another process takes over at once.
    public func run() async throws {
        try configuration.validate()
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !state.withLock({ $0.shuttingDown }) {
                let next = await attempt()
                await wake.wait(until: next, clock: clock)
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.shuttingDown = true }
            self.wake.signal()
        }
        if state.withLock({ $0.shuttingDown }) {
            await resign()
        }
    }

    /// One try: takes or renews the lease. Returns when to try next.
    @discardableResult
    func attempt() async -> Date {
        let now = clock.now
        let until = now.adding(configuration.leaseDuration)
        do {
            let lease = try await store.acquireLease(configuration.name, holder: configuration.holder, until: until, now: now)
            let leading = lease.holder == configuration.holder
            update(leaseUntil: leading ? lease.expiresAt : nil, holder: lease.holder)
            let renew = now.adding(configuration.renewInterval)
            // A follower tries again when the leader's lease runs out, if that is sooner.
            return leading ? renew : min(renew, max(lease.expiresAt, now))
        } catch {
            logger.error("leader election: taking the lease failed", metadata: ["lease": "\(configuration.name)", "error": "\(error)"])
            // Keep leading until the lease taken earlier runs out; try again soon.
            let until = state.withLock { $0.leaseUntil }
            if let until, until <= clock.now { update(leaseUntil: nil, holder: nil) }
            let retry = now.adding(min(configuration.renewInterval, .seconds(1)))
            if let until, until > now { return min(retry, until) }
            return retry
        }
    }

    /// Gives the lease up when this process holds it.
    func resign() async {
        guard state.withLock({ $0.leaseUntil }) != nil else { return }
        update(leaseUntil: nil, holder: nil)
        do {
            try await store.releaseLease(configuration.name, holder: configuration.holder)
            logger.info("leader election: lease given up", metadata: ["lease": "\(configuration.name)"])
        } catch {
            logger.error("leader election: giving up the lease failed", metadata: ["lease": "\(configuration.name)", "error": "\(error)"])
        }
    }

    /// Records a try's outcome, and signals the listeners when leadership changed as
    /// ``isLeader`` sees it: a lease that had run out on the clock before this renewal (a renewal
    /// that came late) counts as not leading, so renewing it is gaining leadership. A follower
    /// that looked at ``isLeader`` in between waits for that signal.
    private func update(leaseUntil: Date?, holder: String?) {
        let now = clock.now
        let leading = leaseUntil != nil
        let (wasHolding, wasLeading, listeners) = state.withLock { state in
            let previous = state.leaseUntil
            state.leaseUntil = leaseUntil
            state.holder = holder
            return (previous != nil, previous.map { now < $0 } ?? false, state.listeners)
        }
        guard wasHolding != leading || wasLeading != leading else { return }
        leaderGauge.record(leading ? 1 : 0)
        if leading {
            logger.info("leader election: this process leads", metadata: ["lease": "\(configuration.name)", "holder": "\(configuration.holder)"])
        } else {
            logger.info("leader election: this process no longer leads", metadata: ["lease": "\(configuration.name)", "holder": "\(holder ?? "none")"])
        }
        if wasLeading != leading {
            for listener in listeners { listener.signal() }
        }
    }
}
