extension Errand {
    /// Pauses or resumes a queue (``RunStore/setQueuePaused(_:paused:)``: a paused queue's runs
    /// are not claimed). Resuming wakes this process's workers at once, so they claim the
    /// queue's due runs without waiting for their poll; the PostgreSQL store also announces it to
    /// the workers of other processes.
    public func setQueuePaused(_ name: String, paused: Bool) async throws {
        try await store.setQueuePaused(name, paused: paused)
        if !paused { wakeWorkers() }
    }
}
