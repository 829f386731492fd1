/// `GET /api/v1/session`.
struct SessionView: Encodable {
    var authRequired: Bool
    var authenticated: Bool
    var scope: String?
    var csrfToken: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(authRequired, forKey: .authRequired)
        try container.encode(authenticated, forKey: .authenticated)
        try container.encode(scope, forKey: .scope)
        try container.encode(csrfToken, forKey: .csrfToken)
    }

    private enum CodingKeys: String, CodingKey { case authRequired, authenticated, scope, csrfToken }
}
