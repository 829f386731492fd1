import Foundation
import Logging
import Tracing

extension Worker {
    /// Whether a tracer is bootstrapped; without one, attempts skip creating spans.
    static var tracing: Bool { !(InstrumentationSystem.tracer is NoOpTracer) }

    func makeControl(for run: RunRecord, task: AnyTask?) -> AttemptControl {
        let store = self.store
        let clock = self.clock
        let errand = self.errand
        let attempt = run.attemptCount
        let deadlines = self.deadlines
        return AttemptControl(
            startedAt: clock.now,
            timeout: task?.options.timeout ?? TaskOptions().timeout,
            maxDuration: task?.options.maxDuration,
            usedDuration: run.executionTime,
            progressWriter: { message, percent in
                let now = clock.now
                guard try await store.updateProgress(runID: run.id, attempt: attempt, message: message, percent: percent, now: now) else {
                    throw ErrandError(code: .invalidState, message: "run \(run.id) attempt \(attempt) is no longer executing; progress not recorded")
                }
                errand.publish(RunEvent(kind: .progress, runID: run.id, task: run.task, status: .executing, attempt: attempt, at: now, message: message, percent: percent))
            },
            deadlineChanged: { deadlines.deadlineChanged() }
        )
    }

    /// Executes one claimed attempt: hooks, handler, timeout and cancellation, then records the
    /// outcome and runs the hooks that follow it.
    func execute(_ run: RunRecord, task: AnyTask?, control: AttemptControl) async {
        defer { finished(run.id, control: control) }
        let context = RunContext(
            runID: run.id, attempt: run.attemptCount, taskName: run.task, queue: run.queue, tags: run.tags,
            createdAt: run.createdAt, scheduledAt: run.scheduledAt, calledAt: control.startedAt, baseLogger: logger,
            clock: clock, initOutput: nil, control: control,
            journal: StepJournal(errand: errand, runID: run.id, attempt: run.attemptCount, depth: run.depth),
            logSink: RunLogSink(errand: errand, runID: run.id, task: run.task, attempt: run.attemptCount)
        )
        errand.metrics.started(run, at: control.startedAt)
        if errand.bus.mayWant(.started) {
            errand.publish(RunEvent(kind: .started, runID: run.id, task: run.task, status: .executing, attempt: run.attemptCount, at: control.startedAt))
        }
        let global = errand.configuration.hooks
        if run.attemptCount == 1 {
            await ignoringErrors("onStart", context) {
                try await global.onStart?(context)
                try await task?.onStart(run.payload, context)
            }
        }
        if Self.tracing {
            await withSpan("errand.attempt \(run.task)") { span in
                span.attributes["errand.run_id"] = run.id.rawValue
                span.attributes["errand.attempt"] = run.attemptCount
                await runAttempt(run, task: task, context: context, control: control, global: global)
            }
        } else {
            await runAttempt(run, task: task, context: context, control: control, global: global)
        }
    }

    /// Runs the handler in a task of its own, waits for the attempt's result (the handler's, or an
    /// interruption), records it, then waits for the handler to return.
    private func runAttempt(_ run: RunRecord, task: AnyTask?, context: RunContext, control: AttemptControl, global: GlobalHooks) async {
        deadlines.add(control)
        defer { deadlines.remove(control) }
        let workerID = configuration.id
        let handler = Task {
            guard let task else {
                control.complete(.failure(ErrandError(
                    code: .unknownTask,
                    message: "no handler for task \"\(run.task)\" is registered in worker \(workerID)",
                    field: "task"
                )))
                return
            }
            control.complete(await task.execute(run.payload, context, global))
        }
        control.onInterrupt { handler.cancel() }
        let result = await withTaskCancellationHandler {
            await control.result()
        } onCancel: {
            control.interrupt(.shutdown)
        }
        // Record the outcome now, even if an interrupted handler is still winding down; the
        // slot stays taken until it returns.
        await finish(run, task: task, context: context, control: control, result: result)
        await handler.value
    }

    private func finish(
        _ run: RunRecord, task: AnyTask?, context: RunContext, control: AttemptControl, result: AttemptResult
    ) async {
        await context.logSink?.flush()
        let endedAt = clock.now
        guard let completion = await decide(run, task: task, context: context, result: result, endedAt: endedAt, elapsed: control.startedAt) else {
            context.logger.warning("attempt abandoned: the worker no longer holds the run")
            requestClaim()
            return
        }
        errand.metrics.attemptEnded(run, outcome: completion.outcome, duration: completion.executionTime)
        // The handler has returned: unless hooks follow the recorded outcome (they run in the
        // slot, as the handler does), the slot is free while the outcome waits for its batch.
        if result.handlerReturned, !(task?.hasOutcomeHooks ?? false), !errand.configuration.hooks.hasOutcomeHooks {
            releaseSlot(run.id, control: control)
        }
        guard let record = await writer.submit(completion) else {
            context.logger.info("attempt outcome not recorded: the run changed meanwhile (rescued or canceled)")
            requestClaim()
            return
        }
        // A run left due again (a retry, a wait with a wake time) may be claimable now or needs
        // the next due time read again.
        if !record.status.isFinal { requestClaim() }
        var value: (any Sendable)?
        if case .success(_, let output) = result { value = output }
        await errand.runUpdated(record, value: value)
    }

    /// Turns an attempt's result into the write that records it.
    private func decide(
        _ run: RunRecord, task: AnyTask?, context: RunContext, result: AttemptResult, endedAt: Date, elapsed startedAt: Date
    ) async -> AttemptCompletion? {
        let executionTime = Duration.milliseconds(Int64((endedAt.timeIntervalSince(startedAt) * 1000).rounded()))
        let policy = task?.options.retry ?? .default
        func completion(_ outcome: AttemptOutcome, _ status: RunStatus, retryAt: Date? = nil, result: Data? = nil, note: String? = nil, error: RunError? = nil) -> AttemptCompletion {
            AttemptCompletion(
                runID: run.id, attempt: run.attemptCount, guard: .worker(configuration.id), endedAt: endedAt,
                outcome: outcome, status: status, retryAt: retryAt, result: result, resultNote: note, error: error,
                executionTime: executionTime
            )
        }
        func retryOrFinal(_ outcome: AttemptOutcome, final: RunStatus, error: RunError) -> AttemptCompletion {
            if run.failedAttemptCount < run.maxAttempts {
                return completion(outcome, .retrying, retryAt: errand.retryTime(after: run.failedAttemptCount, policy: policy, from: endedAt), error: error)
            }
            return completion(outcome, final, error: error)
        }
        switch result {
        case .suspended(let suspension):
            var parked = completion(.suspended, .waiting, retryAt: suspension.until)
            parked.waitingFor = suspension.target
            return parked
        case .success(let json, _):
            return successCompletion(json, make: { completion(.succeeded, .completed, result: $0, note: $1) })
        case .interrupted(let interruption):
            switch interruption {
            case .canceled:
                return completion(.canceled, .canceled, error: RunError(type: "canceled", name: "Canceled", message: "the run was canceled while attempt \(run.attemptCount) was executing"))
            case .timeout(let timeout):
                let error = RunError(type: "timeout", name: "TimeoutError", message: "attempt \(run.attemptCount) exceeded its timeout of \(Self.describe(timeout))")
                return retryOrFinal(.timedOut, final: .timedOut, error: error)
            case .maxDuration(let limit):
                let error = RunError(type: "maxDuration", name: "MaxDurationExceeded", message: "the run exceeded its maximum duration of \(Self.describe(limit))")
                return completion(.timedOut, .timedOut, error: error)
            case .shutdown:
                let error = RunError(type: "shutdown", name: "WorkerShutdown", message: "worker \(configuration.id) shut down before attempt \(run.attemptCount) finished; the run will be retried")
                return completion(.crashed, .retrying, retryAt: endedAt, error: error)
            case .leaseLost:
                return nil
            }
        case .failure(let thrown):
            let error = RunError(thrown)
            var decision = await task?.handleError(run.payload, thrown, context) ?? .useRetryPolicy
            if case .useRetryPolicy = decision, let global = errand.configuration.hooks.handleError {
                decision = await global(thrown, context) ?? .useRetryPolicy
            }
            switch decision {
            case .useRetryPolicy:
                if thrown is NonRetryableError { return completion(.failed, .failed, error: error) }
                return retryOrFinal(.failed, final: .failed, error: error)
            case .retry(let at):
                return completion(.failed, .retrying, retryAt: at ?? errand.retryTime(after: run.failedAttemptCount, policy: policy, from: endedAt), error: error)
            case .fail:
                return completion(.failed, .failed, error: error)
            case .succeed(let json):
                return successCompletion(json, make: { completion(.succeeded, .completed, result: $0, note: $1) })
            }
        }
    }

    private func successCompletion(_ json: Data?, make: (Data?, String?) -> AttemptCompletion) -> AttemptCompletion {
        guard let json, json.count > PayloadCoding.maximumResultSize else { return make(json, nil) }
        return make(nil, "the result is \(json.count) bytes, larger than the \(PayloadCoding.maximumResultSize)-byte (64 KB) limit: it was not stored")
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = duration.timeInterval
        if seconds < 1 { return "\(duration.milliseconds) ms" }
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.3f s", seconds)
    }

    private func ignoringErrors(_ hook: String, _ context: RunContext, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            context.logger.warning("\(hook) hook failed; ignored", metadata: ["error": "\(error)"])
        }
    }
}

extension RunError {
    /// Records an error a handler threw: its Swift type as the name, its description as the message.
    public init(_ error: any Error) {
        if let errand = error as? ErrandError {
            self.init(type: "runtime", name: "ErrandError.\(errand.code.rawValue)", message: errand.message)
        } else {
            let message = String(describing: error)
            let detail = String(reflecting: error)
            self.init(type: "runtime", name: String(describing: Swift.type(of: error)), message: message, stack: detail == message ? nil : detail)
        }
    }
}
