import GatewayStore

/// The two questions the delivery loop asks the database.
///
/// A row is a *head* when every earlier row of its `(target, ordering_key)` is delivered; only
/// heads may be sent, which is the whole ordering guarantee. A `failed` earlier row therefore
/// blocks the rows behind it until `outbox.retry` (an update must never reach eSignet before its
/// create, and a MISP license update never before its generation).
extension ReadConnection {
    /// Heads that are pending and due now, earliest due first (a new row is due at its creation,
    /// so this is oldest first among rows never tried).
    ///
    /// The order is exactly `outbox_due`'s (status, next_attempt_at, seq), so SQLite walks that
    /// index and stops at `limit` instead of sorting every pending row (`ORDER BY seq` alone did:
    /// with a 5,000-row backlog each scan sorted the backlog); `outbox_by_key`
    /// (target, ordering_key, seq) answers the head check per candidate.
    func dueHeads(targets: [OutboxMessage.Target], now: Int64, limit: Int) throws(StoreError) -> [OutboxRow] {
        guard !targets.isEmpty, limit > 0 else { return [] }
        let placeholders = targets.map { _ in "?" }.joined(separator: ", ")
        let rows = try query(
            """
            SELECT o.seq, o.target, o.topic, o.ordering_key, o.body, o.message_id, o.created_at, o.attempts
            FROM outbox o
            WHERE o.status = 'pending' AND o.next_attempt_ms <= ? AND o.target IN (\(placeholders))
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.target = o.target AND e.ordering_key = o.ordering_key
                                AND e.seq < o.seq AND e.status <> 'delivered')
            ORDER BY o.next_attempt_ms, o.seq LIMIT ?
            """,
            [.integer(now)] + targets.map { .text($0.rawValue) } + [SQLValue(limit)])
        var heads: [OutboxRow] = []
        heads.reserveCapacity(rows.count)
        for row in rows {
            // A target name this build does not know cannot be delivered; the IN list excludes it.
            guard let target = OutboxMessage.Target(rawValue: try row.string(1)) else { continue }
            heads.append(
                OutboxRow(
                    seq: try row.int(0), target: target, topic: try row.string(2), orderingKey: try row.string(3),
                    body: try row.string(4), messageId: try row.string(5), createdAt: try row.string(6),
                    attempts: try row.int(7)))
        }
        return heads
    }

    /// When the earliest head that is not due yet becomes due, so the loop can sleep until then.
    func nextDueTime(targets: [OutboxMessage.Target], after now: Int64) throws(StoreError) -> Int64? {
        guard !targets.isEmpty else { return nil }
        let placeholders = targets.map { _ in "?" }.joined(separator: ", ")
        return try queryFirst(
            """
            SELECT o.next_attempt_ms FROM outbox o
            WHERE o.status = 'pending' AND o.next_attempt_ms > ? AND o.target IN (\(placeholders))
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.target = o.target AND e.ordering_key = o.ordering_key
                                AND e.seq < o.seq AND e.status <> 'delivered')
            ORDER BY o.next_attempt_ms LIMIT 1
            """,
            [.integer(now)] + targets.map { .text($0.rawValue) }
        )?.optionalInt(0).map(Int64.init)
    }
}
