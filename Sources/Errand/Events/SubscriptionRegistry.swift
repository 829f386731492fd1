/// The event subscriptions declared in this process, and whether the store has them yet.
struct SubscriptionRegistry: Sendable {
    var subscriptions: [EventSubscription] = []
    var stored = true
}
