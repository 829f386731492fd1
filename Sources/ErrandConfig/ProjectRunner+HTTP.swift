import AsyncHTTPClient
import Errand
import Foundation
import NIOCore
import NIOHTTP1

extension ProjectRunner {
    /// How much of an error response's body goes into the error message.
    static let errorBodyLimit = 1024

    /// Runs one attempt of an HTTP task (protocol in ``ProjectRunner``).
    func callEndpoint(_ endpoint: HTTPEndpoint, timeout: Duration, payload: JSONValue, context: RunContext) async throws -> JSONValue {
        let body = JSONValue.object([
            "runId": .string(context.runID.rawValue), "attempt": .integer(Int64(context.attempt)),
            "task": .string(context.taskName), "payload": payload,
        ])
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = HTTPMethod(rawValue: endpoint.method)
        request.headers.add(name: "Content-Type", value: "application/json")
        for header in endpoint.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: try PayloadCoding.encode(body)))
        let target = "\(endpoint.method) \(endpoint.url)"
        let client = try httpClient()
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(timeout.milliseconds))
        } catch {
            try Task.checkCancellation()
            if let clientError = error as? HTTPClientError, clientError == .deadlineExceeded {
                throw HTTPTaskError(message: "\(target) did not answer within \(timeout)")
            }
            throw HTTPTaskError(message: "\(target) failed: \(error)")
        }
        let status = Int(response.status.code)
        switch status {
        case 200..<300:
            return try await Self.result(of: response, target: target)
        case 400..<500:
            let text = await Self.bodyStart(of: response)
            throw HTTPTaskRejection(status: status, message: "\(target) answered \(response.status)\(text); a 4xx status fails the run without retries")
        default:
            let text = await Self.bodyStart(of: response)
            throw HTTPTaskError(status: status, message: "\(target) answered \(response.status)\(text)")
        }
    }

    /// A 2xx response's body as the result: JSON, or `null` when empty.
    private static func result(of response: HTTPClientResponse, target: String) async throws -> JSONValue {
        let limit = PayloadCoding.maximumResultSize
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HTTPTaskError(status: Int(response.status.code), message: "\(target) answered \(response.status) with a body larger than \(limit) bytes, the result limit")
        } catch {
            try Task.checkCancellation()
            throw HTTPTaskError(status: Int(response.status.code), message: "\(target) answered \(response.status) but its body could not be read: \(error)")
        }
        let bytes = Data(buffer.readableBytesView)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0a, 0x0d].contains($0) }) { return .null }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            let start = String(decoding: bytes.prefix(errorBodyLimit), as: UTF8.self)
            throw HTTPTaskError(status: Int(response.status.code), message: "\(target) answered \(response.status) with a body that is not JSON: \"\(start)\"")
        }
    }

    /// `: <first 1 KB of the body>`, or nothing for an empty body.
    private static func bodyStart(of response: HTTPClientResponse) async -> String {
        var collected: [UInt8] = []
        do {
            for try await chunk in response.body {
                collected.append(contentsOf: chunk.readableBytesView.prefix(errorBodyLimit - collected.count))
                if collected.count >= errorBodyLimit { break }
            }
        } catch {
            // A body cut short still says something; keep what came.
        }
        guard !collected.isEmpty else { return "" }
        let text = String(decoding: collected, as: UTF8.self)
        return ": \(text)\(collected.count >= errorBodyLimit ? "…" : "")"
    }
}
