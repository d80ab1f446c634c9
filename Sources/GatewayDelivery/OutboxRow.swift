import GatewayJSON
import GatewayStore

/// One outbox row as the deliverer reads it: the stored message and how often it was tried.
struct OutboxRow: Sendable {
    var seq: Int
    var target: OutboxMessage.Target
    /// The stored topic, payload text and key; decoded into a message at each attempt, so a row
    /// this build cannot read fails on its own without stopping the scan.
    var topic: String
    var orderingKey: String
    /// Never logged: it may hold a license key.
    var body: String
    /// The event's id at IDA, the same for every retry of the row.
    var messageId: String
    /// When the mutation committed the row: the event's time.
    var createdAt: String
    /// Failed attempts so far (the column counts every attempt; a pending row has only failures).
    var attempts: Int

    /// Rows that must go out one after another share this.
    var key: OrderingKey { OrderingKey(target: target, key: orderingKey) }

    /// The message, or the permanent failure of a row no retry can fix.
    func message() throws(DeliveryFailure) -> OutboxMessage {
        guard let topic = OutboxMessage.Topic(rawValue: topic),
            case .object(let payload)? = try? JSONValue.parse(body, maxDepth: 256)
        else { throw .permanent("outbox row \(seq) is not a message this build can send") }
        return OutboxMessage(target: target, topic: topic, key: orderingKey, payload: payload)
    }
}

/// `(target, ordering_key)`: rows with the same value are delivered strictly in `seq` order.
///
/// The target is part of the key because eSignet and IDA are independent receivers: an IDA
/// event for a client need not wait for eSignet to accept that client's create.
struct OrderingKey: Hashable, Sendable {
    var target: OutboxMessage.Target
    var key: String
}
