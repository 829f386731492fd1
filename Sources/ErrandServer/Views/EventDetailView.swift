import Errand

/// `GET /api/v1/events/{id}`: the event (``EventView``'s fields) and `runs`, the id, task and
/// status of each run it caused that still exists (`runIDs` lists them all, pruned ones too).
struct EventDetailView: Encodable {
    /// A run the event caused.
    struct CausedRun: Encodable {
        var id: String
        var task: String
        var status: String
    }

    var event: EventView
    var runs: [CausedRun]

    init(_ event: EventRecord, runs: [RunRecord]) {
        self.event = EventView(event)
        let byID = Dictionary(runs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.runs = event.runIDs.compactMap { id in
            byID[id].map { CausedRun(id: $0.id.rawValue, task: $0.task, status: $0.status.rawValue) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        try event.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runs, forKey: .runs)
    }

    private enum CodingKeys: String, CodingKey { case runs }
}
