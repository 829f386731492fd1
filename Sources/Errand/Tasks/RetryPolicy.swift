/// How a run is retried after a failed attempt: at most ``maxAttempts`` attempts, with
/// exponential backoff between them.
///
/// The delay before attempt *n + 1* is `minDelay × factor^(n−1)`, capped at `maxDelay`, then
/// randomised by ±`jitter` (a fraction, 0…1) so that many failing runs do not retry in lockstep.
///
/// ```swift
/// let retry = RetryPolicy(maxAttempts: 5, factor: 2, minDelay: .seconds(1), maxDelay: .minutes(1))
/// ```
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Attempts in all, the first included (1 = never retry). Default 3.
    public var maxAttempts: Int
    /// Growth of the delay per attempt. Default 2.
    public var factor: Double
    /// Delay before the first retry. Default 1 s.
    public var minDelay: Duration
    /// Largest delay. Default 1 min.
    public var maxDelay: Duration
    /// Random spread of each delay, as a fraction of it (0…1). Default 0.1.
    public var jitter: Double

    /// Creates a retry policy.
    public init(
        maxAttempts: Int = 3, factor: Double = 2, minDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(60), jitter: Double = 0.1
    ) {
        self.maxAttempts = maxAttempts
        self.factor = factor
        self.minDelay = minDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// Never retry: one attempt only.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The default: 3 attempts, 1 s then 2 s, ±10 %.
    public static let `default` = RetryPolicy()

    /// The delay after failed attempt number `attempt` (1-based), before jitter.
    public func baseDelay(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let seconds = min(minDelay.timeInterval * pow(factor, exponent), maxDelay.timeInterval)
        return .milliseconds(Int64((max(0, seconds) * 1000).rounded()))
    }

    /// The delay after failed attempt number `attempt`, with jitter from `generator`.
    public func delay<G: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout G) -> Duration {
        let base = baseDelay(afterAttempt: attempt).timeInterval
        guard jitter > 0 else { return .milliseconds(Int64((base * 1000).rounded())) }
        let spread = base * min(jitter, 1)
        let value = Double.random(in: (base - spread)...(base + spread), using: &generator)
        return .milliseconds(Int64((max(0, value) * 1000).rounded()))
    }

    /// Checks the policy's values, naming the first bad one.
    public func validate() throws {
        guard maxAttempts >= 1 else {
            throw ErrandError.invalidArgument(field: "retry.maxAttempts", value: String(maxAttempts), allowed: "must be at least 1")
        }
        guard factor >= 1, factor.isFinite else {
            throw ErrandError.invalidArgument(field: "retry.factor", value: String(factor), allowed: "must be a finite number of at least 1")
        }
        guard minDelay >= .zero else {
            throw ErrandError.invalidArgument(field: "retry.minDelay", value: "\(minDelay)", allowed: "must not be negative")
        }
        guard maxDelay >= minDelay else {
            throw ErrandError.invalidArgument(field: "retry.maxDelay", value: "\(maxDelay)", allowed: "must be at least retry.minDelay (\(minDelay))")
        }
        guard (0...1).contains(jitter) else {
            throw ErrandError.invalidArgument(field: "retry.jitter", value: String(jitter), allowed: "must be between 0 and 1")
        }
    }
}

import Foundation
