import Errand
import ErrandSQLite
import ErrandStoreTests
import Foundation
import Synchronization
import Testing

@Suite("SQLiteRunStore conformance")
struct SQLiteRunStoreTests {
    @Test(arguments: RunStoreConformance.allCases)
    func conformance(_ check: RunStoreConformance) async throws {
        try await withTemporaryStores { make in try await check.run(make) }
    }

    @Test(arguments: LeaseStoreConformance.allCases)
    func leaseConformance(_ check: LeaseStoreConformance) async throws {
        try await withTemporaryStores { make in try await check.run(make) }
    }

    @Test(arguments: ScheduleStoreConformance.allCases)
    func scheduleConformance(_ check: ScheduleStoreConformance) async throws {
        try await withTemporaryStores { make in try await check.run(make) }
    }

    /// Runs `body` with a maker of new stores, each on its own temporary file, removed afterwards.
    private func withTemporaryStores(_ body: (@Sendable () throws -> SQLiteRunStore) async throws -> Void) async throws {
        let paths = Mutex<[String]>([])
        defer { paths.withLock { $0.forEach(removeDatabase(at:)) } }
        try await body {
            let path = temporaryPath()
            paths.withLock { $0.append(path) }
            return try SQLiteRunStore(path: path)
        }
    }
}
