import Errand
import ErrandConfig
import Foundation
import Testing

@Suite("command tasks, end to end with real processes")
struct CommandTaskTests {
    @Test("the payload goes in on standard input and the JSON on standard output is the result")
    func stdinToStdout() async throws {
        try await LiveProject.run("tasks:\n  echo:\n    shell: cat\n") { project in
            let run = try await project.runToEnd("echo", payload: #"{"name":"Ada","n":[1,2]}"#)
            #expect(run.status == .completed)
            #expect(run.resultJSON == .object(["name": .string("Ada"), "n": .array([.integer(1), .integer(2)])]))
        }
    }

    @Test("a command is an argument vector: no shell expands its arguments")
    func argumentVector() async throws {
        let script = "#!/bin/sh\ncat > /dev/null\nprintf '[\"%s\",\"%s\",\"%s\"]' \"$1\" \"$2\" \"$(pwd)\"\n"
        try await LiveProject.run(
            "tasks:\n  args:\n    command: [\"./bin/args\", \"two words\", \"$HOME\"]\n    workingDirectory: bin\n",
            files: ["bin/args": script]
        ) { project in
            let run = try await project.runToEnd("args")
            let folder = project.folder.appendingPathComponent("bin").resolvingSymlinksInPath().path
            #expect(run.resultJSON == .array([.string("two words"), .string("$HOME"), .string(folder)]))
        }
    }

    @Test("ERRAND_RUN_ID, ERRAND_ATTEMPT (1, then 2 on the retry), ERRAND_TASK and env: are set")
    func environment() async throws {
        let yaml = #"""
            tasks:
              env-check:
                shell: 'if [ "$ERRAND_ATTEMPT" = 1 ]; then echo "attempt=$ERRAND_ATTEMPT" >&2; exit 1; fi; printf "{\"run\":\"%s\",\"attempt\":%s,\"task\":\"%s\",\"custom\":\"%s\"}" "$ERRAND_RUN_ID" "$ERRAND_ATTEMPT" "$ERRAND_TASK" "$CUSTOM"'
                env: { CUSTOM: from-the-file }
                retry: { maxAttempts: 2, minDelay: 100ms, jitter: 0 }
            """#
        try await LiveProject.run(yaml) { project in
            let run = try await project.runToEnd("env-check")
            #expect(run.status == .completed)
            #expect(run.attemptCount == 2)
            #expect(run.attempts.first?.error?.message.contains("attempt=1") == true)
            #expect(run.resultJSON == .object([
                "run": .string(run.id.rawValue), "attempt": .integer(2), "task": .string("env-check"), "custom": .string("from-the-file"),
            ]))
        }
    }

    @Test("progress lines on standard error reach the run record and its events")
    func progress() async throws {
        let yaml = #"""
            tasks:
              progress:
                shell: 'echo "errand:progress 0.25 a quarter" >&2; echo "plain log line" >&2; echo "errand:progress - thinking" >&2; echo "errand:progress 0.75 three quarters" >&2; echo "{}"'
            """#
        try await LiveProject.run(yaml) { project in
            let events = project.errand.events()
            let run = try await project.runToEnd("progress")
            #expect(run.status == .completed)
            #expect(run.progressMessage == "three quarters")
            #expect(run.progressPercent == 0.75)
            var reported: [String] = []
            for await event in events where event.runID == run.id {
                if event.kind == .progress { reported.append("\(event.percent.map { "\($0)" } ?? "-") \(event.message ?? "")") }
                if event.status.isFinal { break }
            }
            #expect(reported == ["0.25 a quarter", "- thinking", "0.75 three quarters"])
        }
    }

    @Test("empty standard output is no result; output that is not JSON fails quoting it")
    func outputs() async throws {
        try await LiveProject.run("tasks:\n  quiet:\n    shell: 'cat > /dev/null'\n  chatty:\n    shell: 'echo hello world'\n    retry: 1\n") { project in
            let quiet = try await project.runToEnd("quiet")
            #expect(quiet.status == .completed)
            #expect(quiet.resultJSON == .null)
            let chatty = try await project.runToEnd("chatty")
            #expect(chatty.status == .failed)
            #expect(chatty.error?.message.contains(#"other than JSON to standard output: "hello world"#) == true)
        }
    }

    @Test("standard output over the 64 KB result limit fails the attempt")
    func oversizedOutput() async throws {
        try await LiveProject.run("tasks:\n  big:\n    shell: 'printf \"\\\"\"; head -c 70000 /dev/zero | tr \"\\\\0\" a; printf \"\\\"\"'\n    retry: 1\n") { project in
            let run = try await project.runToEnd("big")
            #expect(run.status == .failed)
            #expect(run.error?.message.contains("more than 65536 bytes to standard output") == true)
        }
    }

    @Test("a payload larger than a pipe's buffer reaches a reader, and a command that never reads it still succeeds")
    func largePayload() async throws {
        let payload = "{\"blob\":\"" + String(repeating: "z", count: 200_000) + "\"}"
        try await LiveProject.run("tasks:\n  size:\n    shell: 'wc -c'\n  deaf:\n    shell: 'echo 7'\n") { project in
            let size = try await project.runToEnd("size", payload: payload)
            #expect(size.resultJSON == .integer(Int64(payload.utf8.count)))
            let deaf = try await project.runToEnd("deaf", payload: payload)
            #expect(deaf.status == .completed)
            #expect(deaf.resultJSON == .integer(7))
        }
    }

    @Test("a non-zero exit fails the attempt with the status and the tail of standard error")
    func nonZeroExit() async throws {
        let yaml = #"""
            tasks:
              fails:
                shell: 'i=0; while [ $i -lt 2000 ]; do echo "noise line $i" >&2; i=$((i+1)); done; echo "the real reason" >&2; exit 3'
                retry: 1
            """#
        try await LiveProject.run(yaml) { project in
            let run = try await project.runToEnd("fails")
            #expect(run.status == .failed)
            let message = try #require(run.error?.message)
            #expect(message.hasPrefix("/bin/sh exited with status 3:\n"))
            #expect(message.hasSuffix("the real reason"))
            #expect(!message.contains("noise line 0\n"))
            #expect(message.utf8.count < 4096 + 100)
        }
    }

    @Test("death by a signal names the signal")
    func signalDeath() async throws {
        try await LiveProject.run("tasks:\n  killed:\n    shell: 'kill -9 $$'\n    retry: 1\n") { project in
            let run = try await project.runToEnd("killed")
            #expect(run.status == .failed)
            #expect(run.error?.message.contains("was killed by signal 9 (SIGKILL)") == true)
        }
    }

    @Test("a missing program fails the attempt naming it")
    func missingProgram() async throws {
        try await LiveProject.run("tasks:\n  missing:\n    command: [\"./bin/nothing-here\"]\n    retry: 1\n") { project in
            let run = try await project.runToEnd("missing")
            #expect(run.status == .failed)
            #expect(run.error?.message.contains("bin/nothing-here") == true)
        }
    }

    // The 4 s timeouts leave a loaded 2-core machine time to start the shell and write its pid
    // files before the kill (1 s was not always enough in CI).
    @Test("a timeout kills the command's whole process group, and no zombie is left")
    func timeoutKillsGroup() async throws {
        let yaml = #"""
            tasks:
              sleeper:
                shell: 'echo $$ > leader.pid; sleep 30 & echo $! > child.pid; wait'
                timeout: 4s
                retry: 1
            """#
        try await LiveProject.run(yaml) { project in
            let run = try await project.runToEnd("sleeper")
            #expect(run.status == .timedOut)
            try await Self.expectGone(project)
        }
    }

    @Test("a command that ignores SIGTERM is killed with SIGKILL after the grace period")
    func sigkillAfterGrace() async throws {
        let yaml = #"""
            tasks:
              stubborn:
                shell: 'trap "" TERM; echo $$ > leader.pid; sleep 30 & echo $! > child.pid; wait; wait'
                timeout: 4s
                retry: 1
            """#
        try await LiveProject.run(yaml, killGracePeriod: .milliseconds(500)) { project in
            let run = try await project.runToEnd("stubborn")
            #expect(run.status == .timedOut)
            try await Self.expectGone(project)
        }
    }

    @Test("canceling a run stops its command")
    func cancelStopsCommand() async throws {
        try await LiveProject.run("tasks:\n  long:\n    shell: 'echo $$ > leader.pid; sleep 30 & echo $! > child.pid; wait'\n") { project in
            let id = try await project.errand.trigger(TriggerRequest(task: "long", payload: Data("{}".utf8)))
            let started = try await eventually { FileManager.default.fileExists(atPath: project.folder.appendingPathComponent("child.pid").path) }
            #expect(started)
            _ = try await project.errand.cancel(id)
            let run = try await project.errand.waitForCompletion(id, pollInterval: .milliseconds(50))
            #expect(run.status == .canceled)
            try await Self.expectGone(project)
        }
    }

    /// The shell (the group's leader, reaped by Errand, so really gone) and its background
    /// `sleep` (a grandchild) are both gone.
    private static func expectGone(_ project: LiveProject) async throws {
        func pid(_ file: String) throws -> Int32 {
            let text = try String(contentsOf: project.folder.appendingPathComponent(file), encoding: .utf8)
            return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let leader = try pid("leader.pid")
        let child = try pid("child.pid")
        #expect(try await eventually { processIsGone(child) }, "the grandchild sleep \(child) must be killed with its group")
        #expect(try await eventually { kill(leader, 0) != 0 && errno == ESRCH }, "the leader \(leader) must be reaped, not left a zombie")
    }
}
