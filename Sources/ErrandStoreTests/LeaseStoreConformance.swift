import Errand
import Foundation
import Testing

/// The conformance suite every ``LeaseStore`` must pass (the leases of leader election): one case
/// per behaviour, named for it.
///
/// ```swift
/// @Test(arguments: LeaseStoreConformance.allCases)
/// func leaseConformance(_ check: LeaseStoreConformance) async throws {
///     try await check.run { MemoryRunStore() }
/// }
/// ```
///
/// The checks use explicit times and never sleep.
public enum LeaseStoreConformance: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case firstHolderTakesTheLease
    case holderRenews
    case otherHolderIsRefusedWhileValid
    case expiredLeaseIsTakenOver
    case releaseFreesTheLease
    case onlyTheHolderReleases
    case leasesAreIndependentByName
    case concurrentTakersHaveOneWinner

    /// The case's name, shown by Swift Testing.
    public var testDescription: String { rawValue }

    /// Runs the check against a store made by `makeStore`, which must return a new, empty store.
    public func run(_ makeStore: @Sendable () async throws -> any LeaseStore) async throws {
        try await check(try await makeStore())
    }

    /// The check's body.
    private var check: @Sendable (any LeaseStore) async throws -> Void {
        switch self {
        case .firstHolderTakesTheLease: LeaderLeaseChecks.firstHolderTakesTheLease
        case .holderRenews: LeaderLeaseChecks.holderRenews
        case .otherHolderIsRefusedWhileValid: LeaderLeaseChecks.otherHolderIsRefusedWhileValid
        case .expiredLeaseIsTakenOver: LeaderLeaseChecks.expiredLeaseIsTakenOver
        case .releaseFreesTheLease: LeaderLeaseChecks.releaseFreesTheLease
        case .onlyTheHolderReleases: LeaderLeaseChecks.onlyTheHolderReleases
        case .leasesAreIndependentByName: LeaderLeaseChecks.leasesAreIndependentByName
        case .concurrentTakersHaveOneWinner: LeaderLeaseChecks.concurrentTakersHaveOneWinner
        }
    }
}
