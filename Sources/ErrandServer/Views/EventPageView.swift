import Errand

/// `GET /api/v1/events`: `{"events":[event…],"nextCursor"}`, newest first, `nextCursor` `null`
/// on the last page.
struct EventPageView: Encodable {
    var events: [EventView]
    var nextCursor: String?

    init(_ page: EventPage) {
        events = page.events.map(EventView.init)
        nextCursor = page.nextCursor
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(events, forKey: .events)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    private enum CodingKeys: String, CodingKey { case events, nextCursor }
}
