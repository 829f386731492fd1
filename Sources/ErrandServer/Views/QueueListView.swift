/// `{"queues":[…]}`.
struct QueueListView: Encodable {
    var queues: [QueueView]
}
