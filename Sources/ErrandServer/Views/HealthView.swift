/// `GET /healthz`.
struct HealthView: Encodable {
    var status: String
}
