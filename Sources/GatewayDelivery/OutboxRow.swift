import GatewayJSON
import GatewayStore

/// One outbox row as the deliverer sends it (the store's ``DueOutboxRow``).
typealias OutboxRow = DueOutboxRow

extension DueOutboxRow {
    /// Rows that must go out one after another share this.
    var key: OrderingKey { OrderingKey(target: target, key: orderingKey) }

    /// The message, or the permanent failure of a row no retry can fix. Decoded at each attempt,
    /// so a row this build cannot read fails on its own without stopping the scan.
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
