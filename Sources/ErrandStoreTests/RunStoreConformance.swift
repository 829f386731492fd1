import Errand
import Foundation
import Testing

/// The conformance suite every ``RunStore`` must pass: one case per behaviour, named for it.
///
/// A store's test file runs every case against a fresh, empty store:
///
/// ```swift
/// @Test(arguments: RunStoreConformance.allCases)
/// func conformance(_ check: RunStoreConformance) async throws {
///     try await check.run { MemoryRunStore() }
/// }
/// ```
///
/// The checks report failures with `#expect`/`#require`, so they must run inside a Swift Testing
/// test. They pass explicit times (whole seconds from a fixed start) and never sleep.
public enum RunStoreConformance: String, CaseIterable, Sendable, CustomTestStringConvertible {
    // Insert
    case insertAndReadBack
    case unknownRunReadsAsNil
    case statusFollowsScheduledAt
    case sequenceIncreases
    case batchInsertsMany
    case batchInsertKeepsEveryField
    case idempotencyReturnsExistingRun
    case idempotencyWithinOneBatch
    case idempotencyKeyIsPerTask
    case expiredIdempotencyKeyIsReleased
    // Claim
    case claimOrder
    case delayedRunWaitsUntilDue
    case claimRespectsLimit
    case claimOnlyListedQueues
    case claimStartsAttempt
    case secondAttemptKeepsSubmittedAt
    case expiredRunIsNotClaimed
    case startedRunOutlivesTimeToLive
    case claimSaysWhetherItLeftRunsBehind
    // Queues
    case pausedQueueIsSkipped
    case queueConcurrencyLimit
    case concurrencyKeyLimits
    case upsertKeepsPauseFlag
    case pausingUnknownQueueCreatesIt
    case creatingMissingQueuesLeavesKnownOnesAlone
    case queueStatesCountByStatus
    // Leases
    case heartbeatExtendsLease
    case heartbeatReportsLostRuns
    case expiredLeasesFindsLapsedRuns
    case rescueNeedsLapsedLease
    case lateCompletionAfterRescueIsIgnored
    // Completion
    case completionStoresResult
    case batchWithMixedOutcomes
    case batchCompletesMany
    case retryingRunIsClaimableWhenDue
    case inapplicableCompletionDoesNotBlockBatch
    case staleAttemptIsRejected
    case executionTimeAccumulates
    case progressIsRecordedWhileExecuting
    case progressIsRejectedWhenNotExecuting
    // Listing
    case listsNewestFirst
    case listingsOmitAttempts
    case filtersByTask
    case filtersByStatus
    case filtersByTag
    case filtersByCreatedRange
    case paginatesWithCursor
    case fullLastPageHasNoCursor
    case paginatesFilteredRuns
    case rejectsInvalidCursor
    // Cancel
    case cancelQueuedRun
    case cancelDelayedRun
    case cancelRetryingRun
    case cancelWaitingRun
    case cancelExecutingRunIsRequested
    case cancelFinishedRunChangesNothing
    case cancelUnknownRunIsNotFound
    // Maintenance
    case expireRunsMarksLapsedRuns
    case expireRunsRespectsLimit
    case expireRunsIgnoresStartedRuns
    case pruneByStatusCutoff
    case pruneRespectsLimit
    case pruneKeepsUnfinishedRuns
    case prunedRunFreesIdempotencyKey
    case nextDueTimeIsEarliest
    // Concurrency
    case concurrentInsertsWithOneKey
    case concurrentInsertsAreAllKept
    case concurrentClaimsHonourQueueLimit
    case concurrentClaimsNeverClaimTwice
    case workerAndRescuerRaceCompletesOnce
    // Steps
    case saveStepIsFencedByAttempt
    case stepsKeepOrderAndReplaceByKey
    case stepsAreReadWithRunNotInListings
    case depthAndAwaitedRoundTrip
    case filtersByParent
    // Waits
    case waitingRunParksUntilRetryAt
    case waitingWithoutWakeTimeIsNeverDue
    case waitingWakesWhenItsWaitTimeIsEarlierThanAnotherRun
    // Children
    case waitingForFinishedChildrenIsDueAtOnce
    case waitingForUnfinishedChildrenParks
    case awaitedChildCompletionWakesParent
    case awaitedChildCancelWakesParent
    case awaitedChildExpiryWakesParent
    case awaitedChildLeaseRescueWakesParent
    case nonAwaitedChildDoesNotWakeParent
    case childEndOnlyWakesWaitingParent
    case childAndParentEndInOneBatch
    // Tokens
    case createTokenIsIdempotentByKey
    case concurrentTokensWithOneKey
    case completingTokenWakesItsRun
    case completingATokenWakesEveryRunWaitingOnIt
    case parkingOnATokenWhileItIsResolvedNeverLosesTheWake
    case resolvingTwiceOrUnknownChangesNothing
    case timingOutTokenWakesItsRun
    case waitingForResolvedTokenIsDueAtOnce
    case pruneRemovesStepsAndTokens
    // Events
    case publishCreatesRunsCarryingEvent
    case publishingSameIDTwiceCreatesNothing
    case concurrentPublishersWithOneID
    case listEventsNewestFirstByNameWithCursor
    case replaceSubscriptionsOnlyForGivenTasks
    // Logs
    case logsAreNumberedAcrossAppendsAndAttempts
    case logsAreCappedWithMarker
    case logsPageWithAfterAndLimit
    case pruneDeletesLogs
    // Routing
    case labelledRunNeedsWorkerWithLabels
    case slotsBoundTheClaimedCost
    case tooBigRunsAreSkippedBeyondTheLimit
    case skippedRunFreesItsGroupsRoom
    // Origin
    case originAndRoutingRoundTrip
    case filtersByOrigin
    case filtersByEventID

    public var testDescription: String { rawValue }

    /// Runs the check against a store made by `makeStore`, which must return a new, empty store.
    public func run(_ makeStore: @Sendable () async throws -> any RunStore) async throws {
        try await check(try await makeStore())
    }

    /// The check's body.
    private var check: @Sendable (any RunStore) async throws -> Void {
        switch self {
        case .insertAndReadBack: InsertChecks.insertAndReadBack
        case .unknownRunReadsAsNil: InsertChecks.unknownRunReadsAsNil
        case .statusFollowsScheduledAt: InsertChecks.statusFollowsScheduledAt
        case .sequenceIncreases: InsertChecks.sequenceIncreases
        case .batchInsertsMany: InsertChecks.batchInsertsMany
        case .batchInsertKeepsEveryField: InsertChecks.batchInsertKeepsEveryField
        case .idempotencyReturnsExistingRun: InsertChecks.idempotencyReturnsExistingRun
        case .idempotencyWithinOneBatch: InsertChecks.idempotencyWithinOneBatch
        case .idempotencyKeyIsPerTask: InsertChecks.idempotencyKeyIsPerTask
        case .expiredIdempotencyKeyIsReleased: InsertChecks.expiredIdempotencyKeyIsReleased
        case .claimOrder: ClaimChecks.claimOrder
        case .delayedRunWaitsUntilDue: ClaimChecks.delayedRunWaitsUntilDue
        case .claimRespectsLimit: ClaimChecks.claimRespectsLimit
        case .claimOnlyListedQueues: ClaimChecks.claimOnlyListedQueues
        case .claimStartsAttempt: ClaimChecks.claimStartsAttempt
        case .secondAttemptKeepsSubmittedAt: ClaimChecks.secondAttemptKeepsSubmittedAt
        case .expiredRunIsNotClaimed: ClaimChecks.expiredRunIsNotClaimed
        case .startedRunOutlivesTimeToLive: ClaimChecks.startedRunOutlivesTimeToLive
        case .claimSaysWhetherItLeftRunsBehind: ClaimChecks.claimSaysWhetherItLeftRunsBehind
        case .pausedQueueIsSkipped: QueueChecks.pausedQueueIsSkipped
        case .queueConcurrencyLimit: QueueChecks.queueConcurrencyLimit
        case .concurrencyKeyLimits: QueueChecks.concurrencyKeyLimits
        case .upsertKeepsPauseFlag: QueueChecks.upsertKeepsPauseFlag
        case .pausingUnknownQueueCreatesIt: QueueChecks.pausingUnknownQueueCreatesIt
        case .creatingMissingQueuesLeavesKnownOnesAlone: QueueChecks.creatingMissingQueuesLeavesKnownOnesAlone
        case .queueStatesCountByStatus: QueueChecks.queueStatesCountByStatus
        case .heartbeatExtendsLease: LeaseChecks.heartbeatExtendsLease
        case .heartbeatReportsLostRuns: LeaseChecks.heartbeatReportsLostRuns
        case .expiredLeasesFindsLapsedRuns: LeaseChecks.expiredLeasesFindsLapsedRuns
        case .rescueNeedsLapsedLease: LeaseChecks.rescueNeedsLapsedLease
        case .lateCompletionAfterRescueIsIgnored: LeaseChecks.lateCompletionAfterRescueIsIgnored
        case .completionStoresResult: CompletionChecks.completionStoresResult
        case .batchWithMixedOutcomes: CompletionChecks.batchWithMixedOutcomes
        case .batchCompletesMany: CompletionChecks.batchCompletesMany
        case .retryingRunIsClaimableWhenDue: CompletionChecks.retryingRunIsClaimableWhenDue
        case .inapplicableCompletionDoesNotBlockBatch: CompletionChecks.inapplicableCompletionDoesNotBlockBatch
        case .staleAttemptIsRejected: CompletionChecks.staleAttemptIsRejected
        case .executionTimeAccumulates: CompletionChecks.executionTimeAccumulates
        case .progressIsRecordedWhileExecuting: CompletionChecks.progressIsRecordedWhileExecuting
        case .progressIsRejectedWhenNotExecuting: CompletionChecks.progressIsRejectedWhenNotExecuting
        case .listsNewestFirst: ListingChecks.listsNewestFirst
        case .listingsOmitAttempts: ListingChecks.listingsOmitAttempts
        case .filtersByTask: ListingChecks.filtersByTask
        case .filtersByStatus: ListingChecks.filtersByStatus
        case .filtersByTag: ListingChecks.filtersByTag
        case .filtersByCreatedRange: ListingChecks.filtersByCreatedRange
        case .paginatesWithCursor: ListingChecks.paginatesWithCursor
        case .fullLastPageHasNoCursor: ListingChecks.fullLastPageHasNoCursor
        case .paginatesFilteredRuns: ListingChecks.paginatesFilteredRuns
        case .rejectsInvalidCursor: ListingChecks.rejectsInvalidCursor
        case .cancelQueuedRun: CancelChecks.cancelQueuedRun
        case .cancelDelayedRun: CancelChecks.cancelDelayedRun
        case .cancelRetryingRun: CancelChecks.cancelRetryingRun
        case .cancelWaitingRun: CancelChecks.cancelWaitingRun
        case .cancelExecutingRunIsRequested: CancelChecks.cancelExecutingRunIsRequested
        case .cancelFinishedRunChangesNothing: CancelChecks.cancelFinishedRunChangesNothing
        case .cancelUnknownRunIsNotFound: CancelChecks.cancelUnknownRunIsNotFound
        case .expireRunsMarksLapsedRuns: MaintenanceChecks.expireRunsMarksLapsedRuns
        case .expireRunsRespectsLimit: MaintenanceChecks.expireRunsRespectsLimit
        case .expireRunsIgnoresStartedRuns: MaintenanceChecks.expireRunsIgnoresStartedRuns
        case .pruneByStatusCutoff: MaintenanceChecks.pruneByStatusCutoff
        case .pruneRespectsLimit: MaintenanceChecks.pruneRespectsLimit
        case .pruneKeepsUnfinishedRuns: MaintenanceChecks.pruneKeepsUnfinishedRuns
        case .prunedRunFreesIdempotencyKey: MaintenanceChecks.prunedRunFreesIdempotencyKey
        case .nextDueTimeIsEarliest: MaintenanceChecks.nextDueTimeIsEarliest
        case .concurrentInsertsWithOneKey: ConcurrencyChecks.concurrentInsertsWithOneKey
        case .concurrentInsertsAreAllKept: ConcurrencyChecks.concurrentInsertsAreAllKept
        case .concurrentClaimsHonourQueueLimit: ConcurrencyChecks.concurrentClaimsHonourQueueLimit
        case .concurrentClaimsNeverClaimTwice: ConcurrencyChecks.concurrentClaimsNeverClaimTwice
        case .workerAndRescuerRaceCompletesOnce: ConcurrencyChecks.workerAndRescuerRaceCompletesOnce
        case .saveStepIsFencedByAttempt: StepChecks.saveStepIsFencedByAttempt
        case .stepsKeepOrderAndReplaceByKey: StepChecks.stepsKeepOrderAndReplaceByKey
        case .stepsAreReadWithRunNotInListings: StepChecks.stepsAreReadWithRunNotInListings
        case .depthAndAwaitedRoundTrip: StepChecks.depthAndAwaitedRoundTrip
        case .filtersByParent: StepChecks.filtersByParent
        case .waitingRunParksUntilRetryAt: WaitChecks.waitingRunParksUntilRetryAt
        case .waitingWithoutWakeTimeIsNeverDue: WaitChecks.waitingWithoutWakeTimeIsNeverDue
        case .waitingWakesWhenItsWaitTimeIsEarlierThanAnotherRun: WaitChecks.waitingWakesWhenItsWaitTimeIsEarlierThanAnotherRun
        case .waitingForFinishedChildrenIsDueAtOnce: ChildChecks.waitingForFinishedChildrenIsDueAtOnce
        case .waitingForUnfinishedChildrenParks: ChildChecks.waitingForUnfinishedChildrenParks
        case .awaitedChildCompletionWakesParent: ChildChecks.awaitedChildCompletionWakesParent
        case .awaitedChildCancelWakesParent: ChildChecks.awaitedChildCancelWakesParent
        case .awaitedChildExpiryWakesParent: ChildChecks.awaitedChildExpiryWakesParent
        case .awaitedChildLeaseRescueWakesParent: ChildChecks.awaitedChildLeaseRescueWakesParent
        case .nonAwaitedChildDoesNotWakeParent: ChildChecks.nonAwaitedChildDoesNotWakeParent
        case .childEndOnlyWakesWaitingParent: ChildChecks.childEndOnlyWakesWaitingParent
        case .childAndParentEndInOneBatch: ChildChecks.childAndParentEndInOneBatch
        case .createTokenIsIdempotentByKey: TokenChecks.createTokenIsIdempotentByKey
        case .concurrentTokensWithOneKey: TokenChecks.concurrentTokensWithOneKey
        case .completingTokenWakesItsRun: TokenChecks.completingTokenWakesItsRun
        case .completingATokenWakesEveryRunWaitingOnIt: TokenChecks.completingATokenWakesEveryRunWaitingOnIt
        case .parkingOnATokenWhileItIsResolvedNeverLosesTheWake: TokenChecks.parkingOnATokenWhileItIsResolvedNeverLosesTheWake
        case .resolvingTwiceOrUnknownChangesNothing: TokenChecks.resolvingTwiceOrUnknownChangesNothing
        case .timingOutTokenWakesItsRun: TokenChecks.timingOutTokenWakesItsRun
        case .waitingForResolvedTokenIsDueAtOnce: TokenChecks.waitingForResolvedTokenIsDueAtOnce
        case .pruneRemovesStepsAndTokens: TokenChecks.pruneRemovesStepsAndTokens
        case .publishCreatesRunsCarryingEvent: EventChecks.publishCreatesRunsCarryingEvent
        case .publishingSameIDTwiceCreatesNothing: EventChecks.publishingSameIDTwiceCreatesNothing
        case .concurrentPublishersWithOneID: EventChecks.concurrentPublishersWithOneID
        case .listEventsNewestFirstByNameWithCursor: EventChecks.listEventsNewestFirstByNameWithCursor
        case .replaceSubscriptionsOnlyForGivenTasks: EventChecks.replaceSubscriptionsOnlyForGivenTasks
        case .logsAreNumberedAcrossAppendsAndAttempts: LogChecks.logsAreNumberedAcrossAppendsAndAttempts
        case .logsAreCappedWithMarker: LogChecks.logsAreCappedWithMarker
        case .logsPageWithAfterAndLimit: LogChecks.logsPageWithAfterAndLimit
        case .pruneDeletesLogs: LogChecks.pruneDeletesLogs
        case .labelledRunNeedsWorkerWithLabels: RoutingChecks.labelledRunNeedsWorkerWithLabels
        case .slotsBoundTheClaimedCost: RoutingChecks.slotsBoundTheClaimedCost
        case .tooBigRunsAreSkippedBeyondTheLimit: RoutingChecks.tooBigRunsAreSkippedBeyondTheLimit
        case .skippedRunFreesItsGroupsRoom: RoutingChecks.skippedRunFreesItsGroupsRoom
        case .originAndRoutingRoundTrip: OriginChecks.originAndRoutingRoundTrip
        case .filtersByOrigin: OriginChecks.filtersByOrigin
        case .filtersByEventID: OriginChecks.filtersByEventID
        }
    }
}
