/// `{"id":"…"}`: the run a trigger or replay created.
struct RunIDView: Encodable {
    var id: String
}
