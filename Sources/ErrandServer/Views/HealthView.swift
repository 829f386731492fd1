import Errand

/// `GET /healthz`: `{"status":"ok"}`, with `"worker":{"id","labels","capacity"}` when a worker
/// runs next to the server (``ServerConfiguration/worker``).
struct HealthView: Encodable {
    /// The worker's routing: what it advertises and how many slots it has.
    struct Worker: Encodable {
        var id: String
        var labels: [String]
        var capacity: Int
    }

    var status: String
    var worker: Worker?

    init(status: String, worker: WorkerConfiguration?) {
        self.status = status
        self.worker = worker.map { Worker(id: $0.id, labels: $0.labels.sorted(), capacity: $0.concurrency) }
    }
}
