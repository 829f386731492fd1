import Errand

extension ExampleTasks {
    /// The payload of `resize-image`.
    struct ResizeImage: Codable, Sendable {
        var url: String
        var width: Int
    }

    /// What `resize-image` returns (stored as the run's result).
    struct ResizedImage: Codable, Sendable {
        var url: String
        var width: Int
        var bytes: Int
    }

    /// Reports progress through three stages, sleeping on the engine's clock in each.
    static let resizeImage = TaskDefinition<ResizeImage, ResizedImage>(
        "resize-image", options: TaskOptions(timeout: .seconds(30))
    ) { payload, context in
        guard payload.width > 0 else { throw AbortRunError("width must be positive, got \(payload.width)") }
        try await context.progress("downloading \(payload.url)", percent: 0.1)
        try await context.clock.sleep(for: .milliseconds(400))
        try await context.progress("resizing to \(payload.width) px", percent: 0.5)
        try await context.clock.sleep(for: .milliseconds(400))
        try await context.progress("uploading", percent: 0.9)
        try await context.clock.sleep(for: .milliseconds(300))
        let resized = payload.url.replacingOccurrences(of: ".jpg", with: "-\(payload.width).jpg")
        return ResizedImage(url: resized, width: payload.width, bytes: payload.width * payload.width / 4)
    }
}
