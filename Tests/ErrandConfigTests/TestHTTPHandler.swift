import Foundation
import NIOCore
import NIOHTTP1

/// Answers one connection's requests for ``TestHTTPServer``:
/// `/ok` 200 `{"echo": <payload>, "attempt": n}`; `/empty` 204; `/reject` 422 with a text body;
/// `/flaky` 503 on attempt 1, then 200 `{"attempt": n}`; `/broken` always 500; `/slow` 200 after
/// 3 s. Runs on its channel's event loop only.
final class TestHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let log: RequestLog
    private var head: HTTPRequestHead?
    private var body = Data()

    init(log: RequestLog) {
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = RequestLog.Request(method: head.method.rawValue, path: head.uri, headers: headers, body: body)
            log.append(request)
            answer(request, context: context)
        }
    }

    private func answer(_ request: RequestLog.Request, context: ChannelHandlerContext) {
        let json = request.json ?? [:]
        let attempt = json["attempt"] as? Int ?? 0
        switch request.path {
        case "/ok":
            let echo: [String: Any] = ["echo": json["payload"] ?? NSNull(), "attempt": attempt]
            respond(.ok, (try? JSONSerialization.data(withJSONObject: echo)) ?? Data(), context: context)
        case "/empty":
            respond(.noContent, Data(), context: context)
        case "/reject":
            respond(.unprocessableEntity, Data("payload rejected: the field 'size' is required".utf8), context: context)
        case "/flaky" where attempt == 1:
            respond(.serviceUnavailable, Data("try again later".utf8), context: context)
        case "/flaky":
            respond(.ok, Data("{\"attempt\":\(attempt)}".utf8), context: context)
        case "/broken":
            respond(.internalServerError, Data(String(repeating: "x", count: 3000).utf8), context: context)
        case "/slow":
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(3)) {
                self.respond(.ok, Data("{}".utf8), context: context)
            }
        default:
            respond(.notFound, Data(), context: context)
        }
    }

    private func respond(_ status: HTTPResponseStatus, _ body: Data, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Content-Type", value: "application/json")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
