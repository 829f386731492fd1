import Foundation

/// The only thing in Errand that touches persistence.
///
/// A store is a flat list of batch-shaped operations, each one transaction, shaped by what the
/// engine needs on its hot path. Every store passes the same conformance suite
/// (`ErrandStoreTests`); ``MemoryRunStore`` is the reference.
///
/// ```swift
/// let store = MemoryRunStore()
/// let results = try await store.insertRuns([NewRun(task: "email", queue: "email", payload: Data("{}".utf8), scheduledAt: now)], now: now)
/// let claimed = try await store.claimRuns(ClaimRequest(workerID: "w1", limit: 10, now: now, leaseUntil: now + 30))
/// ```
///
/// Claim rules, which every store implements exactly:
/// 1. `delayed`, `retrying` and `waiting` runs whose ``RunRecord/scheduledAt`` is at or before
///    `now` become `queued` (so the claim never scans runs that are not yet due).
/// 2. Candidates are `queued` runs of the requested, unpaused queues, whose required labels are all
///    among the request's labels, and whose time to live has not
///    passed (the time to live only applies before the first attempt), ordered by priority (higher first), then ``RunRecord/scheduledAt``, then sequence.
/// 3. A queue's concurrency limit applies per group (queue, concurrency key), a run without a
///    key being in the group (queue, none): a candidate is skipped while its group already has
///    `limit` runs `executing`, counting runs claimed earlier in the same call. With
///    ``ClaimRequest/slots``, a candidate whose cost exceeds the slots left is skipped.
/// 4. A claimed run becomes `executing`: its attempt count goes up by one, an attempt record is
///    added, it gets the worker id and the lease, and `submittedAt` is set if it was not.
/// Parked runs and their wake-ups, which every store implements exactly:
/// - A completion with status `waiting` parks the run until its `retryAt` (never, when `nil`);
///   when its ``AttemptCompletion/waitingFor`` target is already met (every child final, the
///   token resolved), the run is due at once instead.
/// - When an awaited child (``RunRecord/awaited``) becomes final — completed, failed, timed out,
///   crashed, canceled or expired, by any operation — its parent, if `waiting`, becomes due at
///   once when none of its other awaited children is unfinished; in the same transaction.
/// - Resolving a token makes every `waiting` run that waits on it due at once, in the same
///   transaction: its own run (``WaitToken/runID``) and every run with a `waiting` step for it
///   (``StepRecord/tokenID``), which includes runs waiting on a token made outside any run or by
///   another run.
/// - Pruning a run deletes its attempts, steps, tokens and log lines.
public protocol RunStore: Sendable {
    /// Inserts runs in one transaction. A run whose task already has a run with the same
    /// idempotency key whose key has not expired is not inserted: its result carries the existing
    /// run's id and `created: false`. An expired key is released from its old run first.
    func insertRuns(_ runs: [NewRun], now: Date) async throws -> [InsertResult]

    /// Claims up to `request.limit` due runs (see the claim rules above).
    func claimRuns(_ request: ClaimRequest) async throws -> [RunRecord]

    /// Claims as ``claimRuns(_:)`` does, and says whether the claim may have left claimable runs
    /// behind because of a queue's concurrency limit or the request's slots
    /// (``ClaimOutcome/mayHaveHeldBack``). Workers claim through it: an idle worker whose last
    /// claim left nothing behind does not claim again each time one of its attempts ends.
    ///
    /// The default implementation calls ``claimRuns(_:)`` and says `true` (a worker then claims
    /// after every finished attempt).
    func claimRunsWithOutcome(_ request: ClaimRequest) async throws -> ClaimOutcome

    /// Extends the leases of a worker's executing attempts.
    func heartbeat(runs: [RunID], workerID: String, leaseUntil: Date, now: Date) async throws -> HeartbeatResult

    /// Writes attempt outcomes in one transaction. Returns, for each completion in order, the
    /// updated run, or `nil` when the completion no longer applied (see ``AttemptCompletion``).
    func completeAttempts(_ completions: [AttemptCompletion]) async throws -> [RunRecord?]

    /// Records progress for an executing attempt. Returns `false` when the attempt no longer runs.
    func updateProgress(runID: RunID, attempt: Int, message: String?, percent: Double?, now: Date) async throws -> Bool

    /// The run with its attempts, or `nil`.
    func run(id: RunID) async throws -> RunRecord?

    /// Runs matching the query, newest first (by sequence), a page at a time.
    func listRuns(_ query: RunQuery) async throws -> RunPage

    /// Cancels a run: at once when it has not started or is waiting or retrying; by request when it
    /// is executing (the worker sees the request with its next heartbeat).
    func cancelRun(id: RunID, now: Date) async throws -> CancelResult

    /// Executing runs whose lease expired before `now` (their worker is gone), oldest lease first.
    func expiredLeases(now: Date, limit: Int) async throws -> [RunRecord]

    /// Marks `delayed` and `queued` runs that never started and whose time to live passed as
    /// `expired`, and returns them.
    func expireRuns(now: Date, limit: Int) async throws -> [RunRecord]

    /// Deletes up to `limit` finished runs (with their attempts) that finished before the cutoff of
    /// their status; statuses without a cutoff are kept. Returns how many were deleted.
    func pruneRuns(finishedBefore cutoffs: [RunStatus: Date], limit: Int) async throws -> Int

    /// The earliest ``RunRecord/scheduledAt`` of `delayed` or `retrying` runs in these queues
    /// (`nil` = all), so a worker can sleep until then.
    func nextDueTime(queues: Set<String>?) async throws -> Date?

    /// Creates or updates queue settings (the pause flag is kept).
    func upsertQueues(_ queues: [QueueConfig]) async throws

    /// Pauses or resumes a queue (creating it with no limit if unknown).
    func setQueuePaused(_ name: String, paused: Bool) async throws

    /// Creates each of these queues that has no settings yet, with no limit and not paused;
    /// leaves the others as they are. A worker calls it at its start for the queues it claims
    /// from that none of its tasks declares, so every queue it claims from has settings: a store
    /// that orders limit and pause changes against the claims in flight through the queue's
    /// settings (PostgreSQL) then does so for these queues too.
    func createMissingQueues(_ names: [String]) async throws

    /// Every known queue, and every queue that holds runs, with its counts.
    func queueStates() async throws -> [QueueState]

    // MARK: Durable steps, waits, child runs and tokens

    /// The steps of a run, in the order they were first recorded.
    func steps(runID: RunID) async throws -> [StepRecord]

    /// Records (inserts or replaces, by key) a step of attempt `attempt` of a run, only while that
    /// attempt is executing. Returns `false`, recording nothing, when the run is no longer executing
    /// that attempt (it was rescued, canceled or finished meanwhile).
    func saveStep(_ step: StepRecord, runID: RunID, attempt: Int) async throws -> Bool

    /// Stores a new pending token; when a token with the same idempotency key exists, returns it
    /// instead and stores nothing.
    func createToken(_ token: WaitToken) async throws -> WaitToken

    /// The token with this id.
    func token(id: String) async throws -> WaitToken?

    /// Completes or times out a pending token, in one transaction with waking the `waiting` run
    /// that created it (its start time becomes `now`).
    func resolveToken(id: String, resolution: TokenResolution, now: Date) async throws -> TokenResolveResult

    // MARK: Published events and subscriptions

    /// Stores a published event and the runs it causes, in one transaction. When an event with
    /// the same id exists, stores nothing and returns it (`created` false). Each run carries the
    /// event id; ``EventRecord/runIDs`` lists the runs' ids as stored (an idempotency key may
    /// return an existing run).
    func publishEvent(_ event: EventRecord, runs: [NewRun], now: Date) async throws -> PublishResult

    /// The event with this id.
    func event(id: String) async throws -> EventRecord?

    /// Events, newest first, a page at a time.
    func listEvents(_ query: EventQuery) async throws -> EventPage

    /// Replaces the stored subscriptions of `tasks` by `subscriptions`, in one transaction.
    func replaceSubscriptions(_ subscriptions: [EventSubscription], forTasks tasks: Set<String>) async throws

    /// Every stored subscription.
    func subscriptions() async throws -> [EventSubscription]

    // MARK: Run logs

    /// Appends log lines, numbering them per run after the run's last line. A run keeps at most
    /// ``RunLogLine/maximumPerRun`` lines: the line that reaches the bound is stored as
    /// ``RunLogLine/truncationMarker(runID:attempt:at:)`` and later lines are dropped.
    func appendLogs(_ lines: [RunLogLine]) async throws

    /// A run's log lines after line `index` (0 for all), in order, at most `limit`.
    func logs(runID: RunID, after index: Int, limit: Int) async throws -> [RunLogLine]


}

/// What ``RunStore/heartbeat(runs:workerID:leaseUntil:now:)`` found.
public struct HeartbeatResult: Sendable, Hashable {
    /// Runs the worker no longer holds (rescued, or finished elsewhere): stop their attempts.
    public var lost: [RunID]
    /// Runs whose cancel was requested: cancel their attempts.
    public var cancelRequested: [RunID]

    /// Creates a heartbeat result.
    public init(lost: [RunID] = [], cancelRequested: [RunID] = []) {
        self.lost = lost
        self.cancelRequested = cancelRequested
    }

    /// The result for a heartbeat of `runs`, from the runs the worker still holds, each with
    /// whether its cancel was requested.
    public init(runs: [RunID], held: [RunID: Bool]) {
        self.init()
        for id in runs {
            guard let cancelRequested = held[id] else {
                lost.append(id)
                continue
            }
            if cancelRequested { self.cancelRequested.append(id) }
        }
    }
}

extension RunStore {
    /// Claims with ``claimRuns(_:)`` and says the claim may have left runs behind, which keeps
    /// workers claiming after every finished attempt (for stores that cannot tell).
    public func claimRunsWithOutcome(_ request: ClaimRequest) async throws -> ClaimOutcome {
        ClaimOutcome(runs: try await claimRuns(request), mayHaveHeldBack: true)
    }
}
