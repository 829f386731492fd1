/// Options of one durable step.
public struct StepOptions: Sendable, Hashable {
    /// Retries of the step's closure inside the attempt, before the step (and the attempt) fails.
    /// The default tries once: a failure fails the attempt, and the run's own retry policy applies.
    public var retry: RetryPolicy

    /// Step options.
    public init(retry: RetryPolicy = .none) {
        self.retry = retry
    }
}
