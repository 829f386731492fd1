import Errand
import Foundation

/// A wait token as the API shows it.
struct TokenView: Encodable {
    var id: String
    var status: String
    var runId: String?
    var value: JSONValue?
    var createdAt: String
    var expiresAt: String?
    var resolvedAt: String?

    init(_ token: WaitToken) {
        let time = { (date: Date) in ISO8601Timestamp.string(from: date, fractionalSeconds: true) }
        id = token.id
        status = token.status.rawValue
        runId = token.runID?.rawValue
        value = token.value.map(JSONValue.init(json:))
        createdAt = time(token.createdAt)
        expiresAt = token.expiresAt.map(time)
        resolvedAt = token.resolvedAt.map(time)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(runId, forKey: .runId)
        try container.encode(value, forKey: .value)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(resolvedAt, forKey: .resolvedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, status, runId, value, createdAt, expiresAt, resolvedAt
    }
}
