import Foundation
import HTTPTypes
import Hummingbird

/// The dashboard's files, shipped as resources of this module (`Dashboard/`), read once.
enum DashboardAssets {
    /// The files by name, loaded at first use.
    private static let files: [String: Data] = {
        guard let directory = Bundle.module.url(forResource: "Dashboard", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [:] }
        var files: [String: Data] = [:]
        for name in names where !name.hasPrefix(".") {
            files[name] = try? Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }()

    /// The content types by extension.
    private static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "json": "application/json",
    ]

    /// The file's response; 404 for a file the dashboard does not have.
    static func response(file name: String, cacheControl: String) throws -> Response {
        guard !name.contains("/"), !name.hasPrefix("."), let data = files[name] else {
            throw APIError(status: .notFound, code: "not_found", message: "no dashboard file \"\(name)\"", field: "file")
        }
        let type = contentTypes[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: cacheControl, HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                HTTPField.Name("X-Frame-Options")!: "DENY",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
