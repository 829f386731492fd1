import Errand
import ErrandConfig
import Foundation
import Testing

@Suite("HTTP tasks, end to end against a local HTTP server")
struct HTTPTaskTests {
    private func project(_ server: TestHTTPServer, path: String, extra: String = "") -> String {
        """
        tasks:
          call:
            http: { url: "\(server.url(path))", headers: { X-Token: abc }\(extra) }
            retry: { maxAttempts: 3, minDelay: 100ms, jitter: 0 }
        """
    }

    @Test("a 2xx JSON body is the result; the request carries the run as JSON with the headers")
    func success() async throws {
        try await TestHTTPServer.with { server in
            try await LiveProject.run(project(server, path: "/ok")) { live in
                let run = try await live.runToEnd("call", payload: #"{"size":3}"#)
                #expect(run.status == .completed)
                #expect(run.resultJSON == .object(["echo": .object(["size": .integer(3)]), "attempt": .integer(1)]))
                let request = try #require(server.log.all.first)
                #expect(request.method == "POST")
                #expect(request.headers["content-type"] == "application/json")
                #expect(request.headers["x-token"] == "abc")
                let json = try #require(request.json)
                #expect(json["runId"] as? String == run.id.rawValue)
                #expect(json["task"] as? String == "call")
                #expect(json["attempt"] as? Int == 1)
                #expect((json["payload"] as? [String: Any])?["size"] as? Int == 3)
            }
        }
    }

    @Test("an empty 2xx body is no result, and the method is configurable")
    func emptyBody() async throws {
        try await TestHTTPServer.with { server in
            try await LiveProject.run(project(server, path: "/empty", extra: ", method: PUT")) { live in
                let run = try await live.runToEnd("call")
                #expect(run.status == .completed)
                #expect(run.resultJSON == .null)
                #expect(server.log.all.map(\.method) == ["PUT"])
            }
        }
    }

    @Test("a 4xx fails the run at once, without retries, quoting the status and body")
    func clientErrorIsFinal() async throws {
        try await TestHTTPServer.with { server in
            try await LiveProject.run(project(server, path: "/reject")) { live in
                let run = try await live.runToEnd("call")
                #expect(run.status == .failed)
                #expect(run.attemptCount == 1)
                #expect(server.log.all.count == 1)
                let message = try #require(run.error?.message)
                #expect(message.contains("422"))
                #expect(message.contains("payload rejected: the field 'size' is required"))
            }
        }
    }

    @Test("a 5xx is retried, and the retry can succeed")
    func serverErrorIsRetried() async throws {
        try await TestHTTPServer.with { server in
            try await LiveProject.run(project(server, path: "/flaky")) { live in
                let run = try await live.runToEnd("call")
                #expect(run.status == .completed)
                #expect(run.attemptCount == 2)
                #expect(run.attempts.first?.error?.message.contains("503") == true)
                #expect(run.attempts.first?.error?.message.contains("try again later") == true)
                #expect(run.resultJSON == .object(["attempt": .integer(2)]))
            }
        }
    }

    @Test("a 5xx on every attempt fails after the last, with the first 1 KB of the body")
    func serverErrorExhaustsRetries() async throws {
        try await TestHTTPServer.with { server in
            try await LiveProject.run(project(server, path: "/broken")) { live in
                let run = try await live.runToEnd("call")
                #expect(run.status == .failed)
                #expect(run.attemptCount == 3)
                #expect(server.log.all.count == 3)
                let message = try #require(run.error?.message)
                #expect(message.contains("500"))
                #expect(message.contains(String(repeating: "x", count: 1024) + "…"))
                #expect(!message.contains(String(repeating: "x", count: 1025)))
            }
        }
    }

    @Test("a request past the endpoint's timeout is a retryable failure")
    func timeoutIsRetryable() async throws {
        try await TestHTTPServer.with { server in
            try await LiveProject.run(project(server, path: "/slow", extra: ", timeout: 300ms")) { live in
                let run = try await live.runToEnd("call")
                #expect(run.status == .failed)
                #expect(run.attemptCount == 3)
                #expect(run.error?.message.contains("did not answer within") == true)
            }
        }
    }

    @Test("a connection error is a retryable failure")
    func connectionRefused() async throws {
        let yaml = "tasks:\n  call:\n    http: { url: \"http://127.0.0.1:1/nothing\", timeout: 1s }\n    retry: { maxAttempts: 2, minDelay: 50ms }\n"
        try await LiveProject.run(yaml) { live in
            let run = try await live.runToEnd("call")
            #expect(run.status == .failed)
            #expect(run.attemptCount == 2)
            #expect(run.error?.message.hasPrefix("POST http://127.0.0.1:1/nothing ") == true, "\(run.error?.message ?? "")")
        }
    }
}
