import Foundation
import Synchronization

/// A ``RunStore`` that keeps everything in memory: the reference implementation, used by the
/// engine's unit tests and by `ErrandTesting`. Nothing survives the process.
public final class MemoryRunStore: RunStore {
    struct State {
        var runs: [RunID: RunRecord] = [:]
        var order: [RunID] = []
        var sequence: Int64 = 0
        /// (task, idempotency key) → run.
        var idempotency: [IdempotencyKey: RunID] = [:]
        var queues: [String: QueueConfig] = [:]
        var paused: Set<String> = []
        /// (schedule, occurrence) → run: at most one run per occurrence.
        var occurrences: [OccurrenceKey: RunID] = [:]
        /// Schedules by id (see `MemoryRunStore+Schedules.swift`).
        var schedules: [String: Schedule] = [:]
        /// Schedule key → schedule id.
        var scheduleKeys: [String: String] = [:]
        var steps: [RunID: [StepRecord]] = [:]
        var children: [RunID: [RunID]] = [:]
        var tokens: [String: WaitToken] = [:]
        var tokenKeys: [String: String] = [:]
        var events: [String: EventRecord] = [:]
        var eventOrder: [String] = []
        var subscriptions: [EventSubscription] = []
        var logs: [RunID: [RunLogLine]] = [:]
        /// Leases by name (see `MemoryRunStore+Leases.swift`).
        var leases: [String: Lease] = [:]
    }

    struct IdempotencyKey: Hashable {
        var task: String
        var key: String
    }

    struct OccurrenceKey: Hashable {
        var scheduleID: String
        var occurrenceAt: Date
    }

    let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    public func insertRuns(_ runs: [NewRun], now: Date) async throws -> [InsertResult] {
        state.withLock { state in Self.insert(runs, now: now, into: &state) }
    }

    /// Inserts runs into the state: the body of ``insertRuns(_:now:)``, shared with
    /// ``fireSchedule(_:)``. A run for a (schedule, occurrence) that already has one is skipped.
    static func insert(_ runs: [NewRun], now: Date, into state: inout State) -> [InsertResult] {
        runs.map { run in
            var occurrence: OccurrenceKey?
            if let scheduleID = run.scheduleID, let occurrenceAt = run.occurrenceAt {
                let key = OccurrenceKey(scheduleID: scheduleID, occurrenceAt: occurrenceAt)
                if let existing = state.occurrences[key], state.runs[existing] != nil {
                    return InsertResult(id: existing, created: false)
                }
                occurrence = key
            }
            if let key = run.idempotencyKey {
                let index = IdempotencyKey(task: run.task, key: key)
                if let existingID = state.idempotency[index], let existing = state.runs[existingID] {
                    if let expiry = existing.idempotencyExpiresAt, expiry <= now {
                        state.runs[existingID]?.idempotencyKey = nil
                        state.idempotency[index] = nil
                    } else {
                        return InsertResult(id: existingID, created: false)
                    }
                }
                state.idempotency[index] = run.id
            }
            if let occurrence { state.occurrences[occurrence] = run.id }
            state.sequence += 1
            state.runs[run.id] = run.record(sequence: state.sequence, now: now)
            state.order.append(run.id)
            if let parentID = run.parentID { state.children[parentID, default: []].append(run.id) }
            return InsertResult(id: run.id, created: true)
        }
    }

    public func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord] {
        try await claimRunsWithOutcome(request).runs
    }

    /// Claims as ``claimRuns(_:)`` does; the outcome says whether a candidate was passed over for
    /// a full concurrency group or its cost.
    public func claimRunsWithOutcome(_ request: ClaimRequest) async throws -> ClaimOutcome {
        guard request.limit > 0 else { return ClaimOutcome(runs: [], mayHaveHeldBack: false) }
        return state.withLock { state in
            var executing: [GroupKey: Int] = [:]
            var candidates: [RunRecord] = []
            for id in state.order {
                guard var run = state.runs[id] else { continue }
                if run.status == .executing {
                    executing[GroupKey(run), default: 0] += 1
                    continue
                }
                if run.status.isParked, run.scheduledAt <= request.now {
                    run.status = .queued
                    run.updatedAt = request.now
                    state.runs[id] = run
                }
                guard run.status == .queued,
                      request.queues?.contains(run.queue) ?? true,
                      request.accepts(requiredLabels: run.requiredLabels),
                      !state.paused.contains(run.queue),
                      // The time to live only applies until the first attempt starts.
                      run.attemptCount > 0 || (run.expiresAt.map({ $0 > request.now }) ?? true)
                else { continue }
                candidates.append(run)
            }
            candidates.sort(by: Self.claimOrder)
            var claimed: [RunRecord] = []
            var freeSlots = request.slots ?? Int.max
            var heldBack = false
            for var run in candidates {
                guard claimed.count < request.limit else { break }
                if freeSlots <= 0 {
                    heldBack = true
                    break
                }
                if run.cost > freeSlots {
                    heldBack = true
                    continue
                }
                let group = GroupKey(run)
                if let limit = state.queues[run.queue]?.concurrency, executing[group, default: 0] >= limit {
                    heldBack = true
                    continue
                }
                executing[group, default: 0] += 1
                freeSlots -= run.cost
                run.status = .executing
                run.attemptCount += 1
                run.workerID = request.workerID
                run.leaseExpiresAt = request.leaseUntil
                run.submittedAt = run.submittedAt ?? request.now
                run.updatedAt = request.now
                run.cancelRequestedAt = nil
                run.attempts.append(AttemptRecord(number: run.attemptCount, workerID: request.workerID, startedAt: request.now))
                state.runs[run.id] = run
                var listed = run
                listed.attempts = []
                claimed.append(listed)
            }
            return ClaimOutcome(runs: claimed, mayHaveHeldBack: heldBack)
        }
    }

    /// The claim order: priority (higher first), then due time, then sequence.
    static func claimOrder(_ a: RunRecord, _ b: RunRecord) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.scheduledAt != b.scheduledAt { return a.scheduledAt < b.scheduledAt }
        return a.sequence < b.sequence
    }

    private struct GroupKey: Hashable {
        var queue: String
        var key: String?
        init(_ run: RunRecord) {
            queue = run.queue
            key = run.concurrencyKey
        }
    }

    public func heartbeat(runs: [RunID], workerID: String, leaseUntil: Date, now: Date) async throws -> HeartbeatResult {
        state.withLock { state in
            var result = HeartbeatResult()
            for id in runs {
                guard var run = state.runs[id], run.status == .executing, run.workerID == workerID else {
                    result.lost.append(id)
                    continue
                }
                run.leaseExpiresAt = leaseUntil
                state.runs[id] = run
                if run.cancelRequestedAt != nil { result.cancelRequested.append(id) }
            }
            return result
        }
    }

    public func completeAttempts(_ completions: [AttemptCompletion]) async throws -> [RunRecord?] {
        state.withLock { state in
            completions.map { completion in
                guard var run = state.runs[completion.runID], completion.applies(to: run) else { return nil }
                run.apply(completion)
                if run.status == .waiting, let target = completion.waitingFor, Self.isMet(target, in: state) {
                    run.scheduledAt = completion.endedAt
                }
                state.runs[run.id] = run
                Self.wakeParent(of: run, now: completion.endedAt, in: &state)
                run.steps = []
                return run
            }
        }
    }

    public func updateProgress(runID: RunID, attempt: Int, message: String?, percent: Double?, now: Date) async throws -> Bool {
        state.withLock { state in
            guard var run = state.runs[runID], run.status == .executing, run.attemptCount == attempt else { return false }
            run.progressMessage = message
            run.progressPercent = percent
            run.updatedAt = now
            state.runs[runID] = run
            return true
        }
    }

    public func run(id: RunID) async throws -> RunRecord? {
        state.withLock { state in
            guard var run = state.runs[id] else { return nil }
            run.steps = state.steps[id] ?? []
            return run
        }
    }

    public func listRuns(_ query: RunQuery) async throws -> RunPage {
        let before = try query.cursor.map(RunQuery.sequence(fromCursor:))
        let limit = max(1, min(query.limit, 1000))
        return state.withLock { state in
            var page: [RunRecord] = []
            var more = false
            for id in state.order.reversed() {
                guard var run = state.runs[id] else { continue }
                if let before, run.sequence >= before { continue }
                guard query.matches(run) else { continue }
                if page.count == limit {
                    more = true
                    break
                }
                run.attempts = []
                page.append(run)
            }
            return RunPage(runs: page, nextCursor: more ? page.last.map { RunQuery.cursor(afterSequence: $0.sequence) } : nil)
        }
    }

    public func cancelRun(id: RunID, now: Date) async throws -> CancelResult {
        state.withLock { state in
            guard var run = state.runs[id] else { return .notFound }
            if run.status.isFinal { return .alreadyFinal(run) }
            if run.status == .executing {
                run.cancelRequestedAt = run.cancelRequestedAt ?? now
                run.updatedAt = now
                state.runs[id] = run
                return .requested(run)
            }
            run.markCanceled(at: now)
            state.runs[id] = run
            Self.wakeParent(of: run, now: now, in: &state)
            return .canceled(run)
        }
    }

    public func expiredLeases(now: Date, limit: Int) async throws -> [RunRecord] {
        state.withLock { state in
            let runs = state.runs.values.filter { run in
                run.status == .executing && (run.leaseExpiresAt.map { $0 < now } ?? false)
            }
            return Array(runs.sorted { ($0.leaseExpiresAt!, $0.sequence) < ($1.leaseExpiresAt!, $1.sequence) }.prefix(limit))
        }
    }

    public func expireRuns(now: Date, limit: Int) async throws -> [RunRecord] {
        state.withLock { state in
            var expired: [RunRecord] = []
            for id in state.order {
                guard expired.count < limit else { break }
                guard var run = state.runs[id],
                      run.status == .queued || run.status == .delayed,
                      run.attemptCount == 0,
                      let expiry = run.expiresAt, expiry <= now
                else { continue }
                run.markExpired(at: now)
                state.runs[id] = run
                Self.wakeParent(of: run, now: now, in: &state)
                expired.append(run)
            }
            return expired
        }
    }

    public func pruneRuns(finishedBefore cutoffs: [RunStatus: Date], limit: Int) async throws -> Int {
        state.withLock { state in
            var deleted: Set<RunID> = []
            for id in state.order {
                guard deleted.count < limit else { break }
                guard let run = state.runs[id], let cutoff = cutoffs[run.status], run.status.isFinal,
                      let finished = run.finishedAt, finished < cutoff
                else { continue }
                deleted.insert(id)
                state.runs[id] = nil
                Self.forgetDurableState(of: run, in: &state)
                if let scheduleID = run.scheduleID, let occurrenceAt = run.occurrenceAt {
                    let key = OccurrenceKey(scheduleID: scheduleID, occurrenceAt: occurrenceAt)
                    if state.occurrences[key] == id { state.occurrences[key] = nil }
                }
                if let key = run.idempotencyKey {
                    let index = IdempotencyKey(task: run.task, key: key)
                    if state.idempotency[index] == id { state.idempotency[index] = nil }
                }
            }
            if !deleted.isEmpty { state.order.removeAll { deleted.contains($0) } }
            return deleted.count
        }
    }

    public func nextDueTime(queues: Set<String>?) async throws -> Date? {
        state.withLock { state in
            state.runs.values
                .filter { $0.status.isParked && $0.scheduledAt != .distantFuture && (queues?.contains($0.queue) ?? true) }
                .map(\.scheduledAt)
                .min()
        }
    }

    public func upsertQueues(_ queues: [QueueConfig]) async throws {
        state.withLock { state in
            for queue in queues { state.queues[queue.name] = queue }
        }
    }

    public func createMissingQueues(_ names: [String]) async throws {
        state.withLock { state in
            for name in names where state.queues[name] == nil { state.queues[name] = QueueConfig(name: name) }
        }
    }

    public func setQueuePaused(_ name: String, paused: Bool) async throws {
        state.withLock { state in
            if state.queues[name] == nil { state.queues[name] = QueueConfig(name: name) }
            if paused { state.paused.insert(name) } else { state.paused.remove(name) }
        }
    }

    public func queueStates() async throws -> [QueueState] {
        state.withLock { state in
            var counts: [String: [RunStatus: Int]] = [:]
            for run in state.runs.values where !run.status.isFinal {
                counts[run.queue, default: [:]][run.status, default: 0] += 1
            }
            let names = Set(state.queues.keys).union(counts.keys)
            return names.sorted().map { name in
                QueueState(
                    config: state.queues[name] ?? QueueConfig(name: name),
                    paused: state.paused.contains(name),
                    counts: counts[name] ?? [:]
                )
            }
        }
    }
}
