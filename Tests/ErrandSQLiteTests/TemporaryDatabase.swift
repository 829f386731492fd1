import Foundation

/// A fresh database path in its own temporary directory.
func temporaryPath(_ name: String = "errand.sqlite") -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("errand-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
        .appendingPathComponent(name).path
}

/// Removes a database made with ``temporaryPath(_:)`` with its directory (and WAL files).
func removeDatabase(at path: String) {
    try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
}

/// Calls `body` with a fresh database path and removes the database afterwards.
func withTemporaryPath<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = temporaryPath()
    defer { removeDatabase(at: path) }
    return try await body(path)
}
