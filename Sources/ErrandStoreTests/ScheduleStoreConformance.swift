import Errand
import Foundation
import Testing

/// The conformance suite every ``ScheduleStore`` must pass, with the schedule cases of
/// exactly-once firing: one case per behaviour, named for it.
///
/// A store's test file runs every case against a fresh, empty store that is both a
/// ``RunStore`` and a ``ScheduleStore``:
///
/// ```swift
/// @Test(arguments: ScheduleStoreConformance.allCases)
/// func scheduleConformance(_ check: ScheduleStoreConformance) async throws {
///     try await check.run { MemoryRunStore() }
/// }
/// ```
///
/// Like ``RunStoreConformance``, the checks use explicit times and never sleep.
public enum ScheduleStoreConformance: String, CaseIterable, Sendable, CustomTestStringConvertible {
    // Schedules
    case upsertAndReadBackEveryField
    case unknownScheduleReadsAsNil
    case keepExistingReturnsTheStoredSchedule
    case updateDefinitionKeepsState
    case timingChangeTakesNewNextFireTime
    case listFiltersAndPaginates
    case pauseAndResume
    case resumeComputesTheNextFireTimeFromTheStoredSchedule
    case deleteSchedule
    case deleteDeclaredKeepsListedAndRunTimeSchedules
    // Due schedules
    case dueListingOrderAndFilters
    case schedulesWaitingForTheirLastRunComeAfterThoseWithWork
    case dueListingReportsLastRunStatus
    case nextFireTimeIsEarliestActive
    // Firing
    case fireInsertsRunsAndAdvances
    case fireWithStaleExpectationChangesNothing
    case fireOnPausedOrDeletedScheduleIsStale
    case fireBuffersAndReleases
    case duplicateOccurrenceIsNeverInserted
    case insertRunsSkipsDuplicateOccurrence
    case prunedOccurrenceCanBeInsertedAgain
    // Concurrency
    case concurrentFiresApplyOnce
    case concurrentFiresOfManySchedules

    /// The case's name, shown by Swift Testing.
    public var testDescription: String { rawValue }

    /// Runs the check against a store made by `makeStore`, which must return a new, empty store.
    public func run(_ makeStore: @Sendable () async throws -> any RunStore & ScheduleStore) async throws {
        try await check(try await makeStore())
    }

    /// The check's body.
    private var check: @Sendable (any RunStore & ScheduleStore) async throws -> Void {
        switch self {
        case .upsertAndReadBackEveryField: ScheduleChecks.upsertAndReadBackEveryField
        case .unknownScheduleReadsAsNil: ScheduleChecks.unknownScheduleReadsAsNil
        case .keepExistingReturnsTheStoredSchedule: ScheduleChecks.keepExistingReturnsTheStoredSchedule
        case .updateDefinitionKeepsState: ScheduleChecks.updateDefinitionKeepsState
        case .timingChangeTakesNewNextFireTime: ScheduleChecks.timingChangeTakesNewNextFireTime
        case .listFiltersAndPaginates: ScheduleChecks.listFiltersAndPaginates
        case .pauseAndResume: ScheduleChecks.pauseAndResume
        case .resumeComputesTheNextFireTimeFromTheStoredSchedule: ScheduleChecks.resumeComputesTheNextFireTimeFromTheStoredSchedule
        case .deleteSchedule: ScheduleChecks.deleteSchedule
        case .deleteDeclaredKeepsListedAndRunTimeSchedules: ScheduleChecks.deleteDeclaredKeepsListedAndRunTimeSchedules
        case .dueListingOrderAndFilters: DueScheduleChecks.dueListingOrderAndFilters
        case .schedulesWaitingForTheirLastRunComeAfterThoseWithWork: DueScheduleChecks.schedulesWaitingForTheirLastRunComeAfterThoseWithWork
        case .dueListingReportsLastRunStatus: DueScheduleChecks.dueListingReportsLastRunStatus
        case .nextFireTimeIsEarliestActive: DueScheduleChecks.nextFireTimeIsEarliestActive
        case .fireInsertsRunsAndAdvances: FireChecks.fireInsertsRunsAndAdvances
        case .fireWithStaleExpectationChangesNothing: FireChecks.fireWithStaleExpectationChangesNothing
        case .fireOnPausedOrDeletedScheduleIsStale: FireChecks.fireOnPausedOrDeletedScheduleIsStale
        case .fireBuffersAndReleases: FireChecks.fireBuffersAndReleases
        case .duplicateOccurrenceIsNeverInserted: FireChecks.duplicateOccurrenceIsNeverInserted
        case .insertRunsSkipsDuplicateOccurrence: FireChecks.insertRunsSkipsDuplicateOccurrence
        case .prunedOccurrenceCanBeInsertedAgain: FireChecks.prunedOccurrenceCanBeInsertedAgain
        case .concurrentFiresApplyOnce: FireConcurrencyChecks.concurrentFiresApplyOnce
        case .concurrentFiresOfManySchedules: FireConcurrencyChecks.concurrentFiresOfManySchedules
        }
    }
}
