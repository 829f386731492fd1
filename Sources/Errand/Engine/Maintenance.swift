import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The housekeeping service: the *rescuer* records attempts whose worker died (lease expired) as
/// crashed with a "worker lost" error and retries them per policy; the *expirer* ends runs whose
/// time to live passed before they started; the *pruner* deletes finished runs past their
/// retention (``Errand/Configuration/retention``, 14 days by default).
///
/// Every job is a guarded store operation, so several processes may run maintenance on one store;
/// with a ``LeaderElection`` (``Errand/leaderElection(_:)``) only the leading process runs it.
public final class Maintenance: Service, Sendable {
    /// The settings.
    public let configuration: MaintenanceConfiguration
    let errand: Errand
    private let stop = WakeSignal()
    private let stopping = Mutex(false)

    init(errand: Errand, configuration: MaintenanceConfiguration) {
        self.errand = errand
        self.configuration = configuration
    }

    /// Runs the jobs on their intervals until graceful shutdown or cancellation.
    public func run() async throws {
        let clock = errand.clock
        var nextRescue = clock.now
        var nextExpiry = clock.now
        var nextPrune = clock.now
        errand.election?.register(stop)
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !stopping.withLock({ $0 }) {
                if let election = errand.election, !election.isLeader {
                    // Another process leads: wait for a change of leadership (or shutdown).
                    await stop.wait()
                    continue
                }
                let now = clock.now
                if now >= nextRescue {
                    await logErrors("rescue") { _ = try await self.rescue() }
                    nextRescue = now.adding(configuration.rescueInterval)
                }
                if now >= nextExpiry {
                    await logErrors("expiry") { _ = try await self.expire() }
                    nextExpiry = now.adding(configuration.expiryInterval)
                }
                if now >= nextPrune {
                    await logErrors("prune") { _ = try await self.prune() }
                    nextPrune = now.adding(configuration.pruneInterval)
                }
                let deadline = min(nextRescue, nextExpiry, nextPrune)
                await stop.wait(until: deadline, clock: clock)
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.stop.signal()
        }
    }

    private func logErrors(_ job: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            errand.logger.error("maintenance \(job) failed", metadata: ["error": "\(error)"])
        }
    }

    /// Records attempts whose lease expired as crashed and retries or ends their runs. Returns how
    /// many runs it rescued.
    @discardableResult
    public func rescue() async throws -> Int {
        let now = errand.clock.now
        let runs = try await errand.store.expiredLeases(now: now, limit: configuration.batchSize)
        guard !runs.isEmpty else { return 0 }
        let completions = runs.map { run in
            let policy = errand.task(named: run.task)?.options.retry ?? .default
            let error = RunError(
                type: "workerLost", name: "WorkerLost",
                message: "worker \(run.workerID ?? "?") was lost while executing attempt \(run.attemptCount): its lease expired at \(ISO8601DateFormatter().string(from: run.leaseExpiresAt ?? now)) without a heartbeat (zombie run)"
            )
            // A run whose cancel was asked for ends canceled rather than being retried.
            let canceled = run.cancelRequestedAt != nil
            let retry = !canceled && run.attemptCount < run.maxAttempts
            return AttemptCompletion(
                runID: run.id, attempt: run.attemptCount, guard: .leaseExpired(before: now), endedAt: now,
                outcome: .crashed, status: canceled ? .canceled : retry ? .retrying : .crashed,
                retryAt: retry ? errand.retryTime(after: run.attemptCount, policy: policy, from: now) : nil,
                error: error,
                executionTime: .milliseconds(Int64((now.timeIntervalSince(run.attempts.last?.startedAt ?? run.leaseExpiresAt ?? now) * 1000).rounded()))
            )
        }
        let records = try await errand.store.completeAttempts(completions)
        var rescued = 0
        for record in records.compactMap({ $0 }) {
            rescued += 1
            errand.logger.warning("rescued a run whose worker was lost", metadata: ["run": "\(record.id)", "status": "\(record.status)"])
            if record.status.isFinal {
                await errand.runFinished(record, value: nil)
            } else {
                errand.publish(RunEvent(kind: .attemptCrashed, runID: record.id, task: record.task, status: record.status, attempt: record.attemptCount, at: now, error: record.error, retryAt: record.scheduledAt))
            }
        }
        if rescued > 0 { errand.wakeWorkers() }
        return rescued
    }

    /// Expires runs whose time to live passed. Returns how many.
    @discardableResult
    public func expire() async throws -> Int {
        let runs = try await errand.store.expireRuns(now: errand.clock.now, limit: configuration.batchSize)
        for run in runs { await errand.runFinished(run, value: nil) }
        return runs.count
    }

    /// Deletes finished runs past their retention. Returns how many.
    @discardableResult
    public func prune() async throws -> Int {
        let now = errand.clock.now
        let cutoffs = errand.configuration.retention.mapValues { now.adding(.zero - $0) }
        guard !cutoffs.isEmpty else { return 0 }
        var total = 0
        while true {
            let deleted = try await errand.store.pruneRuns(finishedBefore: cutoffs, limit: configuration.batchSize)
            total += deleted
            if deleted < configuration.batchSize { return total }
        }
    }
}

extension Errand {
    /// Makes the maintenance service (rescuer, expirer, pruner) for this engine.
    public func maintenance(_ configuration: MaintenanceConfiguration = MaintenanceConfiguration()) -> Maintenance {
        Maintenance(errand: self, configuration: configuration)
    }
}
