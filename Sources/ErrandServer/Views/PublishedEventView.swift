/// The answer to `POST /api/v1/events`: `{"id","name","runs"}`, `runs` the ids of the runs the
/// event caused (the same on a repeated publication with the same id).
struct PublishedEventView: Encodable {
    var id: String
    var name: String
    var runs: [String]
}
