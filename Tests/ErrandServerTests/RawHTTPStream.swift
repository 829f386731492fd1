#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A GET request on a plain TCP socket whose response is read piece by piece, so a test can read
/// part of an endless event stream and then hang up.
final class RawHTTPStream: Sendable {
    private let socket: Int32

    init(url: String) throws {
        let components = URLComponents(string: url)!
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(components.port!).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(components.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
    }

    /// The next bytes that arrived (blocking up to 10 s, on a thread of its own).
    func read() async throws -> String {
        let socket = self.socket
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = recv(socket, &buffer, buffer.count, 0)
                if count <= 0 {
                    continuation.resume(throwing: POSIXError(.ETIMEDOUT))
                } else {
                    continuation.resume(returning: String(decoding: buffer[0..<count], as: UTF8.self))
                }
            }
        }
    }

    /// Hangs up.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }
}
