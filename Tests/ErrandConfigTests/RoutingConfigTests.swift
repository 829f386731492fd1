import Errand
import Foundation
import Testing

@testable import ErrandConfig

@Suite("labels: and cost: route a task's runs to workers")
struct RoutingConfigTests {
    @Test("labels: become the required labels and cost: the slots an attempt takes")
    func parses() throws {
        let task = try parseTask("tasks:\n  t:\n    shell: \"true\"\n    labels: [gpu, large]\n    cost: 4\n")
        #expect(task.options.requiredLabels == ["gpu", "large"])
        #expect(task.options.cost == 4)
    }

    @Test("a bad label or cost is an error at its node, in the file's words")
    func badValues() throws {
        let error = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    labels: [\"has space\"]\n"))
        #expect(error.line == 4 && error.column == 13 && error.keyPath == "tasks.t.labels")
        #expect(error.message.contains("has space") && error.message.contains("letters, digits"))
        let cost = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    cost: 0\n"))
        #expect(cost.line == 4 && cost.column == 11 && cost.keyPath == "tasks.t.cost" && cost.message.contains("1 to 1024"))
        let notNumber = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    cost: big\n"))
        #expect(notNumber.keyPath == "tasks.t.cost" && notNumber.message.contains("whole number"))
        let notList = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    labels: { gpu: true }\n"))
        #expect(notList.keyPath == "tasks.t.labels" && notList.message.contains("list of worker labels"))
    }

    @Test("labels: and cost: reach the stored run")
    func storedRun() async throws {
        let errand = try registeredEngine("tasks:\n  render:\n    shell: \"true\"\n    labels: [large, gpu]\n    cost: 2\n")
        let id = try await errand.trigger(TriggerRequest(task: "render", payload: Data("{}".utf8)))
        let run = try #require(try await errand.state(id))
        #expect(run.requiredLabels == ["gpu", "large"])
        #expect(run.cost == 2)
    }
}
