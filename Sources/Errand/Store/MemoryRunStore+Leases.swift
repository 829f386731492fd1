import Foundation

extension MemoryRunStore: LeaseStore {
    public func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Lease {
        state.withLock { state in
            if let current = state.leases[name], current.holder != holder, current.expiresAt > now {
                return current
            }
            let acquiredAt = state.leases[name].flatMap { $0.holder == holder && $0.expiresAt > now ? $0.acquiredAt : nil } ?? now
            let lease = Lease(name: name, holder: holder, expiresAt: until, acquiredAt: acquiredAt)
            state.leases[name] = lease
            return lease
        }
    }

    @discardableResult
    public func releaseLease(_ name: String, holder: String) async throws -> Bool {
        state.withLock { state in
            guard state.leases[name]?.holder == holder else { return false }
            state.leases[name] = nil
            return true
        }
    }
}
