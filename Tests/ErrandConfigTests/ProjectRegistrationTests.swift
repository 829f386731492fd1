import Errand
import ErrandConfig
import Foundation
import Testing

@Suite("registering a project in an engine")
struct ProjectRegistrationTests {
    private let project = try! ProjectConfig.parse(
        """
        tasks:
          resize:
            command: ["./bin/resize"]
            timeout: 2m
            queue: { name: images, concurrency: 4 }
          report:
            http: "http://127.0.0.1:9000/report"
            schedule: "cron(0 2 * * ? *)"
            payload: { kind: nightly }
          tick:
            shell: "true"
            schedule: { expression: "rate(1 minute)", key: ticker }
        """,
        path: "/project/errand.yml"
    )

    @Test("every task is registered with its options, and schedules are declared")
    func registers() throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(project, runner: ProjectRunner())
        #expect(errand.taskNames == ["report", "resize", "tick"])
        #expect(errand.options(ofTask: "resize")?.timeout == .seconds(120))
        #expect(errand.queue(ofTask: "resize") == "images")
        #expect(errand.declaredSchedules.map(\.task) == ["report", "tick"])
        let report = try #require(errand.declaredSchedules.first)
        #expect(report.expression == "cron(0 2 * * ? *)")
        #expect(JSONValue(json: report.payload) == .object(["kind": .string("nightly")]))
        #expect(errand.declaredSchedules.last?.key == "ticker")
        #expect(JSONValue(json: errand.declaredSchedules.last?.payload ?? Data()) == .object([:]))
    }

    @Test("registering a task name twice is the engine's duplicate error")
    func duplicate() throws {
        let errand = Errand(store: MemoryRunStore())
        try errand.register(project, runner: ProjectRunner())
        let error = #expect(throws: ErrandError.self) { try errand.register(project, runner: ProjectRunner()) }
        #expect(error?.code == .duplicateTask)
    }
}
