import GatewayJSON

/// Delivery state of an outbox row; the raw values are what the table's CHECK allows.
public enum OutboxStatus: String, Sendable, CaseIterable {
    case pending
    case delivered
    case failed
}

extension ReadConnection {
    /// Pending and failed rows, from the counts the outbox's triggers keep: constant time however
    /// large the backlog (a target whose URL is null keeps every row pending).
    public func outboxCounts() throws(StoreError) -> (pending: Int, failed: Int) {
        var counts = (pending: 0, failed: 0)
        for row in try query("SELECT status, n FROM outbox_counts WHERE status IN ('pending', 'failed')") {
            if try row.string(0) == "pending" {
                counts.pending = try row.int(1)
            } else {
                counts.failed = try row.int(1)
            }
        }
        return counts
    }
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
