import Errand
import ErrandTesting
import Foundation
import Testing

@Suite("Worker labels and slots")
struct RoutingTests {
    @Test func aRunRequiringALabelIsOnlyClaimedByAWorkerWithIt() async throws {
        let store = MemoryRunStore()
        let gpuTask = TaskDefinition<Greeting, Reply>("render", options: TaskOptions(retry: .none, requiredLabels: ["gpu"])) { _, _ in
            Reply(text: "rendered")
        }
        let plain = TestErrand(store: store, worker: WorkerConfiguration(id: "plain", pollInterval: .seconds(3600)))
        try plain.errand.register(gpuTask)
        try await plain.start()
        let id = try await plain.errand.trigger(gpuTask, Greeting(name: "x"))
        await plain.advance(by: .seconds(60))
        #expect(try await plain.errand.state(id)?.status == .queued)
        #expect(try await plain.errand.state(id)?.requiredLabels == ["gpu"])
        await plain.stop()

        let gpu = TestErrand(store: store, clock: plain.clock, worker: WorkerConfiguration(id: "gpu", pollInterval: .seconds(3600), labels: ["gpu", "large"]))
        try gpu.errand.register(gpuTask)
        try await gpu.start()
        let run = try await gpu.runUntilFinished(id)
        #expect(run.status == .completed)
        #expect(run.attempts.first?.workerID == "gpu")
        await gpu.stop()
    }

    @Test func aTasksCostTakesThatManySlots() async throws {
        let test = TestErrand(worker: WorkerConfiguration(id: "slots", concurrency: 4, pollInterval: .seconds(3600)))
        let gate = Gate()
        let heavy = TaskDefinition<Greeting, Reply>("heavy", options: TaskOptions(timeout: .seconds(3600), retry: .none, cost: 2)) { _, _ in
            await gate.wait()
            return Reply(text: "done")
        }
        try test.errand.register(heavy)
        try await test.start()
        let ids = try await test.errand.batchTrigger(heavy, (0..<3).map { Greeting(name: "\($0)") })
        await test.settle()
        var statuses: [RunStatus] = []
        for id in ids { statuses.append(try #require(try await test.errand.state(id)).status) }
        #expect(statuses.filter { $0 == .executing }.count == 2)
        #expect(statuses.filter { $0 == .queued }.count == 1)
        gate.open()
        for id in ids { #expect(try await test.runUntilFinished(id).status == .completed) }
        await test.stop()
    }

    @Test func badLabelsAndCostsAreClearErrors() throws {
        #expect(throws: ErrandError.self) { try TaskOptions(cost: 0).validate() }
        #expect(throws: ErrandError.self) { try TaskOptions(requiredLabels: ["has space"]).validate() }
        #expect(throws: ErrandError.self) { try WorkerConfiguration(labels: [""]).validate() }
    }
}
