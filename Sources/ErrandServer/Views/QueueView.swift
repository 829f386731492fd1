import Errand

/// A queue as `GET /api/v1/queues` lists it: its limit, whether it is paused, and its unfinished
/// runs by status.
struct QueueView: Encodable {
    /// Unfinished runs by status.
    struct Counts: Encodable {
        var delayed: Int
        var queued: Int
        var executing: Int
        var retrying: Int
        var waiting: Int
    }

    var name: String
    var concurrency: Int?
    var paused: Bool
    var counts: Counts

    init(_ state: QueueState) {
        name = state.config.name
        concurrency = state.config.concurrency
        paused = state.paused
        counts = Counts(
            delayed: state.counts[.delayed] ?? 0, queued: state.counts[.queued] ?? 0, executing: state.counts[.executing] ?? 0,
            retrying: state.counts[.retrying] ?? 0, waiting: state.counts[.waiting] ?? 0
        )
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(concurrency, forKey: .concurrency)
        try container.encode(paused, forKey: .paused)
        try container.encode(counts, forKey: .counts)
    }

    private enum CodingKeys: String, CodingKey { case name, concurrency, paused, counts }
}
