import GatewayStore

/// One outbox row as the deliverer needs it: what to send, and how often it was tried.
struct OutboxRow: Sendable {
    var seq: Int
    var target: OutboxTarget
    var topic: String
    var orderingKey: String
    /// The JSON text stored by the mutation (never logged: it may hold a license key).
    var body: String
    /// Failed attempts so far (the column counts every attempt; a pending row has only failures).
    var attempts: Int

    /// Rows that must go out one after another share this.
    var key: OrderingKey { OrderingKey(target: target, key: orderingKey) }
}

/// `(target, ordering_key)`: rows with the same value are delivered strictly in `seq` order.
///
/// The target is part of the key because eSignet and IDA are independent receivers: an IDA
/// event for a client need not wait for eSignet to accept that client's create.
struct OrderingKey: Hashable, Sendable {
    var target: OutboxTarget
    var key: String
}
