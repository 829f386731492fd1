import Foundation

extension Errand {
    /// 8base's `invokeFunction` from outside any run: triggers task `name` with JSON `arguments`.
    /// Without `waitForResponse` it returns `nil` as soon as the run is stored; with it, it waits
    /// for the run to be final — on this process's run events, re-reading the store only every
    /// `pollInterval` for runs executed elsewhere — and returns its JSON result, or throws
    /// ``ChildRunError`` when the run did not complete.
    @discardableResult
    public func invokeFunction(
        _ name: String, _ arguments: Data, waitForResponse: Bool, pollInterval: Duration = .seconds(1)
    ) async throws -> Data? {
        let id = try await trigger(TriggerRequest(task: name, payload: arguments))
        guard waitForResponse else { return nil }
        let record = try await waitForCompletion(id, pollInterval: pollInterval)
        guard record.status == .completed else {
            throw ChildRunError(childID: record.id, task: record.task, status: record.status, error: record.error)
        }
        return record.result
    }
}
