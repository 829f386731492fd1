/// What a parked run waits for besides its wake-up time, so the store can wake it the moment the
/// thing happens, also when it happened before the run finished parking.
public enum WaitTarget: Sendable, Hashable {
    /// Child runs: the run is due once all of them are final.
    case children([RunID])
    /// A wait token: the run is due once the token is resolved.
    case token(String)
}
