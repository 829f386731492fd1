import Errand
import ErrandPostgres
import Foundation
import Testing

@Suite("Errand on PostgreSQL")
struct PostgresEngineTests {
    struct Nothing: Codable, Sendable {}

    @Test func aWorkerRunsFiveHundredNoOpRunsToCompletion() async throws {
        try await TestDatabase.withStore { store in
            let errand = Errand(store: store)
            let task = TaskDefinition<Nothing, Nothing>("noop") { _, _ in Nothing() }
            try errand.register(task)
            let worker = errand.worker(WorkerConfiguration(id: "pg-worker", concurrency: 20, pollInterval: .milliseconds(200)))
            let running = Task { try await worker.run() }
            let ids = try await errand.batchTrigger(task, Array(repeating: Nothing(), count: 500))
            let deadline = ContinuousClock.now + .seconds(60)
            var completed = 0
            while completed < 500, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                completed = try await store.countRuns(statuses: [.completed])
            }
            worker.shutDown()
            try await running.value
            #expect(completed == 500, "\(completed) of 500 runs completed within a minute")
            #expect(try await store.countRuns() == 500)
            for id in ids.prefix(20) {
                let run = try #require(try await store.run(id: id))
                #expect(run.status == .completed)
                #expect(run.attempts.count == 1)
                #expect(run.attempts.first?.outcome == .succeeded)
            }
        }
    }
}
