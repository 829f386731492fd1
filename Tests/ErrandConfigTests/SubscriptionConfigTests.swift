import Errand
import Foundation
import Testing

@testable import ErrandConfig

@Suite("on: events that trigger a task")
struct SubscriptionConfigTests {
    @Test("on: takes a pattern, a list of patterns, or objects with a filter and a delay")
    func forms() throws {
        let one = try parseTask("tasks:\n  t:\n    shell: \"true\"\n    on: \"user.created\"\n")
        #expect(one.subscriptions == [ConfiguredSubscription(pattern: "user.created")])
        let task = try parseTask(
            """
            tasks:
              welcome:
                shell: "true"
                on:
                  - "user.*"
                  - { event: "created:user:*", filter: { "user.plan": pro, "user.region": [eu, us] }, delay: 1h }
            """
        )
        #expect(task.subscriptions == [
            ConfiguredSubscription(pattern: "user.*"),
            ConfiguredSubscription(
                pattern: "created:user:*",
                filter: EventFilter(["user.plan": .string("pro"), "user.region": .array([.string("eu"), .string("us")])]),
                delay: .seconds(3600)
            ),
        ])
    }

    @Test("a bad pattern is reported at its node with the pattern rules")
    func badPattern() throws {
        let error = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    on: [\"user.*\", \"user.cre*ted\"]\n"))
        #expect(error.line == 4 && error.column == 20)
        #expect(error.keyPath == "tasks.t.on[1]")
        #expect(error.message.contains("user.cre*ted") && error.message.contains("mixes * with text"))
        let empty = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    on: \"user..created\"\n"))
        #expect(empty.line == 4 && empty.column == 9 && empty.message.contains("none of them empty"))
    }

    @Test("unknown keys, a missing event, a bad filter or delay, and repeated patterns are errors at their node")
    func badObjects() throws {
        let error = try #require(parseError(
            """
            tasks:
              t:
                shell: "true"
                on:
                  - { event: user.created, filtre: { a: 1 } }
                  - { filter: { a: 1 } }
                  - { event: user.deleted, filter: [a], delay: 2x }
                  - { event: user.moved, delay: 400d }
                  - user.created
                  - user.created
            """
        ))
        let problems = error.all.map { "\($0.line):\($0.column) \($0.keyPath)" }
        #expect(problems == [
            "5:32 tasks.t.on[0].filtre", "6:9 tasks.t.on[1]", "7:40 tasks.t.on[2].filter", "7:52 tasks.t.on[2].delay",
            "8:37 tasks.t.on[3].delay", "10:9 tasks.t.on[5]",
        ])
        #expect(error.all[0].message.contains("did you mean \"filter\"?"))
        #expect(error.all[1].message.contains("the event is missing"))
        #expect(error.all[4].message.contains("0 to 365 days"))
        #expect(error.all[5].message.contains("already subscribes to \"user.created\""))
    }

    @Test("a task with on: gets a run, with the event's payload, when a matching event is published")
    func publishedEventRunsTask() async throws {
        let yaml = """
            tasks:
              welcome:
                shell: cat
                on:
                  - { event: "created:user:*", filter: { "user.plan": pro } }
            """
        try await LiveProject.run(yaml) { project in
            let ignored = try await project.errand.publish(event: "created:user:41", payload: Data(#"{"user":{"plan":"free"}}"#.utf8))
            let event = try await project.errand.publish(event: "created:user:42", payload: Data(#"{"user":{"plan":"pro"}}"#.utf8))
            let caused = try await project.errand.runs(RunQuery(eventID: event.id)).runs
            let run = try #require(caused.first)
            #expect(caused.count == 1 && run.task == "welcome")
            let finished = try await project.errand.waitForCompletion(run.id, pollInterval: .milliseconds(50))
            #expect(finished.status == .completed)
            #expect(finished.resultJSON == .object(["user": .object(["plan": .string("pro")])]))
            #expect(try await project.errand.runs(RunQuery(eventID: ignored.id)).runs.isEmpty)
        }
    }

    @Test("a delay in on: makes the run due that long after the event")
    func delayedRun() async throws {
        let errand = try registeredEngine("tasks:\n  later:\n    shell: \"true\"\n    on: [{ event: user.created, delay: 1h }]\n")
        let event = try await errand.publish(event: "user.created", payload: Data("{}".utf8))
        let run = try #require(try await errand.runs(RunQuery(eventID: event.id)).runs.first)
        #expect(run.status == .delayed)
        #expect(run.scheduledAt.timeIntervalSince(event.publishedAt) == 3600)
    }
}
