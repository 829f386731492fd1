import Errand
import Foundation
import Testing

@testable import ErrandConfig

@Suite("errand.yml parsing")
struct ProjectConfigTests {
    @Test("the issue's example file parses into tasks in file order")
    func issueExample() throws {
        let project = try ProjectConfig.parse(
            """
            tasks:
              resize-image:
                command: ["./bin/resize", "--fast"]
                timeout: 2m
                retry: { maxAttempts: 5, minDelay: 1s, maxDelay: 1m, factor: 2 }
                queue: { name: images, concurrency: 4 }
              nightly-report:
                http: { url: "http://127.0.0.1:9000/report", method: POST }
                schedule: "cron(0 2 * * ? *)"
                payload: { kind: nightly }
            """,
            path: "/project/errand.yml"
        )
        #expect(project.path == "/project/errand.yml")
        #expect(project.tasks.map(\.name) == ["resize-image", "nightly-report"])
        let resize = try #require(project.task(named: "resize-image"))
        #expect(resize.handler == .command(CommandSpec(arguments: ["/project/bin/resize", "--fast"], workingDirectory: "/project")))
        #expect(resize.options.timeout == .seconds(120))
        #expect(resize.options.retry == RetryPolicy(maxAttempts: 5, factor: 2, minDelay: .seconds(1), maxDelay: .seconds(60), jitter: 0.1))
        #expect(resize.options.queue == QueueOptions(name: "images", concurrency: 4))
        #expect(resize.schedule == nil)
        let report = try #require(project.task(named: "nightly-report"))
        #expect(report.handler == .http(HTTPEndpoint(url: "http://127.0.0.1:9000/report", method: "POST")))
        #expect(report.schedule == ConfiguredSchedule(expression: "cron(0 2 * * ? *)", payload: .object(["kind": .string("nightly")])))
        #expect(report.options == TaskOptions())
    }

    @Test("every key of a task is read")
    func everyKey() throws {
        let project = try ProjectConfig.parse(
            """
            tasks:
              everything:
                description: "All the keys"
                shell: "echo hi | wc -c"
                env: { KEY: value, NUMBER: 42 }
                workingDirectory: data/../work
                timeout: 500ms
                maxDuration: 10m
                retry: { maxAttempts: 4, minDelay: 2s, maxDelay: 1h, factor: 3, jitter: 0 }
                queue: { name: bulk, concurrency: 2 }
                priority: -3
                tags: [a, b]
                ttl: 1d
                schedule: { expression: "cron(0 8 ? * MON-FRI *)", timezone: Europe/Berlin, payload: { n: 1, ok: true, list: [1.5, null, "x"] }, key: digest }
              web:
                http: { url: "https://example.test/hook", method: put, headers: { X-Token: abc, X-Count: 3 }, timeout: 30s }
                queue: shared
                retry: 2
                schedule: "rate(5 minutes)"
            """,
            path: "/project/errand.yml"
        )
        let task = try #require(project.task(named: "everything"))
        #expect(task.description == "All the keys")
        #expect(task.handler == .shell(CommandSpec(
            arguments: ["/bin/sh", "-c", "echo hi | wc -c"], environment: ["KEY": "value", "NUMBER": "42"],
            workingDirectory: "/project/work"
        )))
        #expect(task.options == TaskOptions(
            timeout: .milliseconds(500), maxDuration: .seconds(600),
            retry: RetryPolicy(maxAttempts: 4, factor: 3, minDelay: .seconds(2), maxDelay: .seconds(3600), jitter: 0),
            queue: QueueOptions(name: "bulk", concurrency: 2), priority: -3, ttl: .seconds(86_400), tags: ["a", "b"]
        ))
        #expect(task.schedule == ConfiguredSchedule(
            expression: "cron(0 8 ? * MON-FRI *)", timeZone: "Europe/Berlin",
            payload: .object(["n": .integer(1), "ok": .bool(true), "list": .array([.number(1.5), .null, .string("x")])]), key: "digest"
        ))
        let web = try #require(project.task(named: "web"))
        #expect(web.handler == .http(HTTPEndpoint(
            url: "https://example.test/hook", method: "PUT",
            headers: [.init(name: "X-Token", value: "abc"), .init(name: "X-Count", value: "3")], timeout: .seconds(30)
        )))
        #expect(web.options.queue == QueueOptions(name: "shared"))
        #expect(web.options.retry.maxAttempts == 2)
        #expect(web.schedule == ConfiguredSchedule(expression: "rate(5 minutes)"))
    }

    @Test("durations: ms, s, m, h, d, fractions and plain numbers of seconds", arguments: [
        ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("2m", .seconds(120)), ("1h", .seconds(3600)),
        ("1d", .seconds(86_400)), ("1.5s", .milliseconds(1500)), ("90", .seconds(90)), ("0.25", .milliseconds(250)),
        ("2 m", .seconds(120)),
    ])
    func durations(text: String, expected: Duration) throws {
        let project = try ProjectConfig.parse("tasks:\n  t:\n    shell: \"true\"\n    timeout: \(text)\n", path: "errand.yml")
        #expect(project.tasks[0].options.timeout == expected)
    }

    @Test("YAML anchors and merge keys share options between tasks; own keys win")
    func mergeKeys() throws {
        let project = try ProjectConfig.parse(
            """
            tasks:
              first:
                shell: "true"
                retry: &fast { maxAttempts: 7, minDelay: 10ms }
                <<: &defaults { timeout: 5s, tags: [shared], priority: 2 }
              second:
                <<: *defaults
                command: ["./x"]
                priority: 9
                retry: *fast
            """,
            path: "/project/errand.yml"
        )
        let second = try #require(project.task(named: "second"))
        #expect(second.options.timeout == .seconds(5))
        #expect(second.options.tags == ["shared"])
        #expect(second.options.priority == 9)
        #expect(second.options.retry.maxAttempts == 7)
        #expect(project.task(named: "first")?.options.priority == 2)
    }

    @Test("a duration too long to represent is an error, not a crash")
    func hugeDuration() throws {
        let number = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    timeout: 1e300\n"))
        #expect(number.keyPath == "tasks.t.timeout" && number.message.contains("out of range"))
        let text = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    ttl: 99999999999999999999d\n"))
        #expect(text.keyPath == "tasks.t.ttl" && text.message.contains("is not a duration"))
    }

    @Test("the example project in Examples/ parses, with its heartbeat schedule")
    func exampleProject() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Examples/errand.yml").standardizedFileURL.path
        let project = try ProjectConfig.load(path: path)
        #expect(project.tasks.map(\.name) == ["hello", "resize-image", "flaky", "count-bytes", "welcome", "heartbeat"])
        #expect(project.task(named: "heartbeat")?.schedule?.expression == "rate(1 minute)")
        for task in project.tasks {
            if case .command(let spec) = task.handler {
                #expect(FileManager.default.isExecutableFile(atPath: spec.arguments[0]), "\(spec.arguments[0]) must be executable")
            }
        }
    }

    @Test("a bad duration names file, line, column, key and the allowed forms")
    func badDuration() throws {
        let error = try #require(parseError(
            """
            tasks:
              resize-image:
                command: ["./bin/resize", "--fast"]
                retry: 3
                timeout: 2x
            """
        ))
        #expect(error.description == #"/project/errand.yml:5:14: tasks.resize-image.timeout: "2x" is not a duration; use a number followed by ms, s, m, h or d (e.g. 2m)"#)
        #expect(error.line == 5 && error.column == 14 && error.keyPath == "tasks.resize-image.timeout")
    }

    @Test("an unknown key is an error at the key that lists the allowed keys")
    func unknownKey() throws {
        let error = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    retires: 3\n"))
        #expect(error.line == 4 && error.column == 5)
        #expect(error.keyPath == "tasks.t.retires")
        #expect(error.message.hasPrefix(#"unknown key "retires" (did you mean "retry"?); allowed keys: command, shell, http, env, workingDirectory, timeout, maxDuration, retry, queue, priority, tags, ttl, description, schedule, payload"#))
        let nested = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    retry: { attempts: 3 }\n"))
        #expect(nested.keyPath == "tasks.t.retry.attempts")
        #expect(nested.message.contains("allowed keys: maxAttempts, minDelay, maxDelay, factor, jitter"))
        let root = try #require(parseError("version: 1\ntasks:\n  t:\n    shell: \"true\"\n"))
        #expect(root.line == 1 && root.column == 1 && root.message.contains("allowed keys: tasks"))
    }

    @Test("a bad cron expression gets the engine's own message, at the expression")
    func badCron() throws {
        let error = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    schedule: \"cron(0 25 * * ? *)\"\n"))
        #expect(error.line == 4 && error.column == 15)
        #expect(error.keyPath == "tasks.t.schedule")
        let engine = #expect(throws: ErrandError.self) { try ScheduleExpression("cron(0 25 * * ? *)") }
        #expect(error.message == engine?.message)
        let zone = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    schedule: { expression: \"0 2 * * ? *\", timezone: Mars/Olympus }\n"))
        #expect(zone.keyPath == "tasks.t.schedule.timezone")
        #expect(zone.column == 54 && zone.message.contains("Mars/Olympus"))
    }

    @Test("two handler kinds are an error at the second")
    func twoHandlers() throws {
        let error = try #require(parseError("tasks:\n  t:\n    command: [\"./x\"]\n    http: \"http://127.0.0.1:1/\"\n"))
        #expect(error.line == 4 && error.column == 5)
        #expect(error.keyPath == "tasks.t.http")
        #expect(error.message == "a task has exactly one handler, but both command and http are given; keep one")
    }

    @Test("a task without a handler is an error at its name")
    func missingHandler() throws {
        let error = try #require(parseError("tasks:\n  lonely:\n    timeout: 5s\n"))
        #expect(error.line == 2 && error.column == 3 && error.keyPath == "tasks.lonely")
        #expect(error.message.contains("exactly one of command"))
    }

    @Test("a task name over 64 characters gets the engine's message")
    func longName() throws {
        let name = String(repeating: "n", count: 70)
        let error = try #require(parseError("tasks:\n  \(name):\n    shell: \"true\"\n"))
        #expect(error.line == 2 && error.column == 3)
        #expect(error.message.contains("is 70 characters long; at most 64 are allowed"))
    }

    @Test("bad retry values get the engine's messages at the value", arguments: [
        ("{ maxAttempts: 0 }", "tasks.t.retry.maxAttempts", 27, "must be at least 1"),
        ("{ jitter: 2 }", "tasks.t.retry.jitter", 22, "must be between 0 and 1"),
        ("{ minDelay: 1m, maxDelay: 1s }", "tasks.t.retry.maxDelay", 38, "must be at least retry.minDelay"),
        ("{ factor: 0.5 }", "tasks.t.retry.factor", 22, "must be a finite number of at least 1"),
    ])
    func badRetry(retry: String, keyPath: String, column: Int, message: String) throws {
        let error = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    retry: \(retry)\n"))
        #expect(error.keyPath == keyPath)
        #expect(error.line == 4 && error.column == column)
        #expect(error.message.contains(message))
    }

    @Test("values of the wrong YAML type are errors naming what was expected", arguments: [
        ("priority: high", "tasks.t.priority", #"expected a whole number, found "high""#),
        ("tags: images", "tasks.t.tags", "expected a list of tags such as [a, b]"),
        ("env: [A, B]", "tasks.t.env", "expected a mapping of names to text"),
        ("queue: { concurrency: many }", "tasks.t.queue.concurrency", "expected a whole number"),
        ("queue: { concurrency: 0 }", "tasks.t.queue.concurrency", "must be at least 1"),
        ("description: [a]", "tasks.t.description", "expected text, found a list"),
        ("ttl: -5s", "tasks.t.ttl", "is not a duration"),
        ("ttl: 0", "tasks.t.ttl", "must be positive"),
        ("payload: { a: 1 }", "tasks.t.payload", "the task has no schedule"),
    ])
    func wrongTypes(line: String, keyPath: String, message: String) throws {
        let error = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    \(line)\n"))
        #expect(error.keyPath == keyPath)
        #expect(error.line == 4)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test("handler values of the wrong shape are errors")
    func badHandlers() throws {
        let command = try #require(parseError("tasks:\n  t:\n    command: ./bin/x --fast\n"))
        #expect(command.keyPath == "tasks.t.command" && command.column == 14)
        #expect(command.message.contains("use shell: instead"))
        let url = try #require(parseError("tasks:\n  t:\n    http: { url: \"ftp://x/y\" }\n"))
        #expect(url.keyPath == "tasks.t.http.url" && url.message.contains("not an http or https URL"))
        let method = try #require(parseError("tasks:\n  t:\n    http: { url: \"http://x/y\", method: FETCH }\n"))
        #expect(method.keyPath == "tasks.t.http.method" && method.message.contains("GET, POST, PUT, PATCH, DELETE"))
        let env = try #require(parseError("tasks:\n  t:\n    http: \"http://x/y\"\n    env: { A: b }\n"))
        #expect(env.keyPath == "tasks.t.env" && env.message.contains("command and shell tasks only"))
    }

    @Test("every problem of a file is reported, in file order")
    func severalProblems() throws {
        let error = try #require(parseError(
            """
            tasks:
              a:
                shell: "true"
                timeout: soon
              b:
                priority: 1
              c:
                command: ["./x"]
                tags: nope
            """
        ))
        #expect(error.all.map(\.keyPath) == ["tasks.a.timeout", "tasks.b", "tasks.c.tags"])
        #expect(error.all.map(\.line) == [4, 5, 9])
        #expect(error.description.split(separator: "\n").count == 3)
    }

    @Test("YAML syntax errors and empty files have positions too")
    func syntaxErrors() throws {
        let syntax = try #require(parseError("tasks:\n  t:\n    shell: \"true\n"))
        #expect(syntax.line >= 3 && syntax.message.hasPrefix("YAML syntax error"))
        let duplicate = try #require(parseError("tasks:\n  t:\n    shell: \"true\"\n    shell: \"false\"\n"))
        #expect(duplicate.message.contains("more than once"))
        let empty = try #require(parseError(""))
        #expect(empty.message.contains("the file is empty"))
        let noTasks = try #require(parseError("tasks: {}\n"))
        #expect(noTasks.keyPath == "tasks" && noTasks.message.contains("no task"))
    }

    @Test("a file that cannot be read is a ConfigError naming it")
    func unreadable() {
        let error = #expect(throws: ConfigError.self) { try ProjectConfig.load(path: "/nonexistent/errand.yml") }
        #expect(error?.file == "/nonexistent/errand.yml")
        #expect(error?.description.hasPrefix("/nonexistent/errand.yml: cannot read the project file") == true)
    }

    @Test("progress lines: percent or -, optional message; others are text")
    func progressLines() {
        #expect(StderrLine("errand:progress 0.5 resizing the image") == .progress(message: "resizing the image", percent: 0.5))
        #expect(StderrLine("errand:progress - waiting") == .progress(message: "waiting", percent: nil))
        #expect(StderrLine("errand:progress 1") == .progress(message: nil, percent: 1))
        #expect(StderrLine("errand:progress 1.5 too far") == .malformedProgress("errand:progress 1.5 too far"))
        #expect(StderrLine("errand:progressive") == .text("errand:progressive"))
        #expect(StderrLine("warning: disk almost full") == .text("warning: disk almost full"))
    }

    @Test("the standard-error tail keeps the last 4 KB on line boundaries")
    func stderrTail() {
        var tail = StderrTail()
        for index in 1...1000 { tail.append("line \(index)") }
        #expect(tail.text.utf8.count <= 4096)
        #expect(tail.text.hasSuffix("line 1000"))
        #expect(tail.text.split(separator: "\n").allSatisfy { $0.hasPrefix("line ") })
        #expect(!tail.text.contains("line 1\n"))
    }
}
