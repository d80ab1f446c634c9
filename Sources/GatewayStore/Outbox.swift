import GatewayJSON

/// Delivery state of an outbox row; the raw values are what the table's CHECK allows.
public enum OutboxStatus: String, Sendable, CaseIterable {
    case pending
    case delivered
    case failed
}

extension WriteTransaction {
    /// Records an event for eSignet or IDA in the mutation's own transaction, so the event exists
    /// if and only if the change it describes was committed (the transactional outbox).
    ///
    /// `orderingKey` groups rows that must be delivered in order (one client's events); the
    /// delivery loop reads `outbox` by `(target, ordering_key, seq)`. Returns the row's `seq`.
    @discardableResult
    public func enqueueOutbox(target: String, topic: String, orderingKey: String, body: JSONValue)
        throws(StoreError) -> Int
    {
        let now = Timestamp.now()
        try execute(
            """
            INSERT INTO outbox (target, topic, ordering_key, body, status, attempts, created_at, next_attempt_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
            """,
            [.text(target), .text(topic), .text(orderingKey), .text(body.serialized()), .text(now), .text(now)])
        return lastInsertRowID
    }
}
