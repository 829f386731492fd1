/// The walk over claim candidates that the claim rules of ``RunStore`` describe, shared by the
/// stores that pick candidates in SQL and choose among them in Swift.
///
/// Offer the candidates in claim order (``ClaimWalk/precedes(_:_:)``); the walk says which to
/// take: a candidate whose cost exceeds the slots left is skipped (and remembered, see
/// ``skippedForCost``), one whose concurrency group has no room left is skipped, and the walk is
/// ``isFull`` once the request's limit is reached or no slot is left.
///
/// ```swift
/// var walk = ClaimWalk<String>(request)
/// for candidate in candidates where !walk.isFull {
///     if walk.offer(cost: candidate.cost, group: candidate.queue, room: room[candidate.queue]) { take(candidate) }
/// }
/// ```
public struct ClaimWalk<Group: Hashable> {
    /// A candidate's place in claim order: priority (higher first), then due time, then sequence.
    public struct Order: Sendable, Hashable {
        /// The run's priority.
        public var priority: Int
        /// The run's due time as the store keeps it (any monotonic encoding of the date).
        public var scheduledAt: Double
        /// The run's sequence.
        public var sequence: Int64

        /// Creates a place in claim order.
        public init(priority: Int, scheduledAt: Double, sequence: Int64) {
            self.priority = priority
            self.scheduledAt = scheduledAt
            self.sequence = sequence
        }
    }

    /// Whether `a` comes before `b` in claim order.
    public static func precedes(_ a: Order, _ b: Order) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.scheduledAt != b.scheduledAt { return a.scheduledAt < b.scheduledAt }
        return a.sequence < b.sequence
    }

    private let limit: Int
    private let countsSlots: Bool
    private var free: Int
    private var started: [Group: Int] = [:]
    /// How many candidates were taken.
    public private(set) var taken = 0
    /// Whether a candidate was passed over because its cost exceeded the slots left (then a later,
    /// cheaper candidate may be taken, so a store that read only the first candidates must read
    /// more).
    public private(set) var skippedForCost = false

    /// A walk for a request.
    public init(_ request: ClaimRequest) {
        limit = request.limit
        countsSlots = request.slots != nil
        free = request.slots ?? Int.max
    }

    /// Whether the claim is full: its limit reached, or no slot left.
    public var isFull: Bool { taken >= limit || free <= 0 }

    /// Offers the next candidate in claim order; returns whether to take it. `room` is how many
    /// more runs its group may start (`nil`: no limit).
    public mutating func offer(cost: Int, group: Group, room: Int?) -> Bool {
        if isFull { return false }
        if cost > free {
            skippedForCost = true
            return false
        }
        if let room {
            if started[group, default: 0] >= room { return false }
            started[group, default: 0] += 1
        }
        if countsSlots { free -= cost }
        taken += 1
        return true
    }
}
