/// `GET /api/v1/runs/{id}/logs`: `{"lines":[line…],"next"}`, `next` the `after` of the next page
/// (`null` when no line is left).
struct LogPageView: Encodable {
    var lines: [LogLineView]
    var next: Int?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lines, forKey: .lines)
        try container.encode(next, forKey: .next)
    }

    private enum CodingKeys: String, CodingKey { case lines, next }
}
