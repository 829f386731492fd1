import AsyncHTTPClient
import Errand
import Foundation
import Logging
import Synchronization

/// Executes the attempts of tasks declared in a project file: starts their commands and calls
/// their HTTP endpoints. One runner serves every task of an ``Errand``; it owns one shared
/// `HTTPClient`, created on first use. Call ``shutdown()`` when done.
///
/// ## Command tasks (`command:` and `shell:`)
/// Each attempt starts the program (`command:` an argument vector, no shell; `shell:` a line run
/// by `/bin/sh -c`) in the task's working directory, in a **process group of its own**:
///
/// - **Standard input**: the run's payload as JSON, then end of file.
/// - **Environment**: Errand's own, plus the task's `env:`, plus `ERRAND_RUN_ID` (the run's id),
///   `ERRAND_ATTEMPT` (1 for the first attempt, 2 for the first retry, …) and `ERRAND_TASK`.
/// - **Standard output**: the result, as one JSON value (at most 64 KB). Nothing (or only
///   white space) means no result (`null`); anything that is not JSON fails the attempt with an
///   error quoting its start.
/// - **Standard error**: a line `errand:progress <percent> <message>` reports progress (percent a
///   number from 0 to 1, or `-` for none; the message is optional), recorded in the run like
///   ``RunContext/progress(_:percent:)``. Every other line is logged at `info` through the
///   run's logger, and the last 4 KB of them (whole lines) are kept for the error message.
/// - **Exit status**: 0 is success. Anything else fails the attempt (retried by the task's retry
///   policy) with the message `<program> exited with status N` followed by the end of standard
///   error; a process killed by a signal names the signal.
/// - **Limits** (`limits:`, ``ResourceLimits``): virtual memory, CPU time and open files are
///   limited before the program starts; an attempt that passes one fails with an error naming it
///   (`… exceeded its CPU time limit of 2 s`), followed by the end of standard error.
/// - **Timeout and cancellation**: when the attempt times out or the run is canceled, the whole
///   process group gets `SIGTERM`, then `SIGKILL` after ``killGracePeriod`` (2 s by default).
///   When the program exits, anything it left running in its group is killed, and the program
///   is always reaped (no zombies).
///
/// ## HTTP tasks (`http:`)
/// Each attempt sends one request to the URL with the configured method (default `POST`) and
/// headers, `Content-Type: application/json`, and the body
/// `{"runId": "…", "attempt": 1, "task": "…", "payload": …}`.
/// - **2xx**: the response body is the result (JSON; an empty body means no result).
/// - **4xx**: the attempt fails and the run is **not** retried (``HTTPTaskRejection``).
/// - **5xx**, connection errors and timeouts (the endpoint's `timeout`, else the task's):
///   the attempt fails and the run is retried by its policy (``HTTPTaskError``).
/// Error messages name the status and quote the first 1 KB of the body.
public final class ProjectRunner: Sendable {
    /// Where the runner and its HTTP client log their own activity (an attempt's lines go to the
    /// attempt's ``RunContext/logger``).
    public let logger: Logger
    /// How long a command has between `SIGTERM` and `SIGKILL` when its attempt is stopped.
    public let killGracePeriod: Duration

    private struct State {
        var client: HTTPClient?
        var shutDown = false
    }

    private let state = Mutex(State())

    /// Creates a runner.
    public init(logger: Logger = Logger(label: "errand.project"), killGracePeriod: Duration = .seconds(2)) {
        self.logger = logger
        self.killGracePeriod = killGracePeriod
    }

    /// Executes one attempt of a task: the function ``Errand/register(_:runner:)`` registers as
    /// the task's handler.
    ///
    /// - Throws: ``CommandFailure``, ``HTTPTaskError`` or ``HTTPTaskRejection`` describing the
    ///   failure; `CancellationError` when the attempt was stopped.
    public func run(_ task: ConfiguredTask, payload: JSONValue, context: RunContext) async throws -> JSONValue {
        switch task.handler {
        case .command(let spec), .shell(let spec):
            try await runCommand(spec, payload: payload, context: context)
        case .http(let endpoint):
            try await callEndpoint(endpoint, timeout: endpoint.timeout ?? task.options.timeout, payload: payload, context: context)
        }
    }

    /// Shuts the HTTP client down (when one was created). Attempts of HTTP tasks fail afterwards.
    public func shutdown() async throws {
        let client = state.withLock { state -> HTTPClient? in
            state.shutDown = true
            defer { state.client = nil }
            return state.client
        }
        guard let client else { return }
        try await client.shutdown()
        logger.debug("HTTP client shut down")
    }

    /// The shared client, created on first use.
    func httpClient() throws -> HTTPClient {
        try state.withLock { state in
            guard !state.shutDown else {
                throw HTTPTaskError(message: "the project runner is shut down; HTTP tasks cannot run")
            }
            if let client = state.client { return client }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, backgroundActivityLogger: logger)
            logger.debug("HTTP client created for http tasks")
            state.client = client
            return client
        }
    }
}
