import Errand
import ErrandPostgres
import ErrandStoreTests
import Foundation
import Testing

@Suite("PostgresRunStore conformance")
struct PostgresRunStoreTests {
    @Test(arguments: RunStoreConformance.allCases)
    func conformance(_ check: RunStoreConformance) async throws {
        try await TestDatabase.withStores { make in
            try await check.run { try await make() }
        }
    }

    @Test(arguments: ScheduleStoreConformance.allCases)
    func scheduleConformance(_ check: ScheduleStoreConformance) async throws {
        try await TestDatabase.withStores { make in
            try await check.run { try await make() }
        }
    }

    @Test(arguments: LeaseStoreConformance.allCases)
    func leaseConformance(_ check: LeaseStoreConformance) async throws {
        try await TestDatabase.withStores { make in
            try await check.run { try await make() }
        }
    }
}
