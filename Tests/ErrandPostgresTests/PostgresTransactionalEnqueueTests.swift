import Errand
import ErrandPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// Transactional enqueue: a run triggered in the app's own transaction exists if and only if the
/// transaction commits.
@Suite("PostgreSQL transactional enqueue")
struct PostgresTransactionalEnqueueTests {
    struct Order: Codable, Sendable { var number: Int }
    struct Receipt: Codable, Sendable { var text: String }

    @Test func aRolledBackTransactionLeavesNoRunAndACommittedOneIsExecuted() async throws {
        try await TestDatabase.withStore { store in
            let errand = Errand(store: store)
            let receipt = TaskDefinition<Order, Receipt>("receipt") { order, _ in Receipt(text: "order \(order.number)") }
            try errand.register(receipt)
            let logger = Logger(label: "test")

            let rolledBack: RunID = try await store.client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                let id = try await errand.trigger(receipt, Order(number: 1), on: connection)
                #expect(try await store.run(id: id) == nil, "not visible to others before the commit")
                try await connection.query("ROLLBACK", logger: logger)
                return id
            }
            #expect(try await store.run(id: rolledBack) == nil, "rolled back: no run")

            let committed: RunID = try await store.client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                let id = try await errand.trigger(receipt, Order(number: 2), on: connection)
                try await connection.query("COMMIT", logger: logger)
                return id
            }
            let worker = errand.worker(WorkerConfiguration(id: "tx-worker", concurrency: 2, pollInterval: .milliseconds(100)))
            let running = Task { try await worker.run() }
            let deadline = ContinuousClock.now + .seconds(30)
            var run = try await store.run(id: committed)
            while run?.status != .completed, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                run = try await store.run(id: committed)
            }
            worker.shutDown()
            try await running.value
            #expect(run?.status == .completed, "committed: the run exists and is executed")
            #expect(try await store.countRuns() == 1)
        }
    }

    @Test func aBadPayloadIsRejectedAndTheTransactionGoesOn() async throws {
        try await TestDatabase.withStore { store in
            let errand = Errand(store: store)
            let receipt = TaskDefinition<Order, Receipt>("receipt") { order, _ in Receipt(text: "order \(order.number)") }
            try errand.register(receipt)
            let logger = Logger(label: "test")
            try await store.client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    _ = try await errand.trigger([TriggerRequest(task: "receipt", payload: Data(#"{"number":"one"}"#.utf8))], on: connection)
                    Issue.record("a payload that does not decode must be rejected")
                } catch let error as ErrandError {
                    #expect(error.message.contains("number"), "\(error.message)")
                }
                _ = try await errand.trigger(receipt, Order(number: 3), on: connection)
                try await connection.query("COMMIT", logger: logger)
            }
            #expect(try await store.countRuns() == 1)
        }
    }
}
