/// An outbox row handed to delivery: what it sends, and how often it was tried.
package struct DueOutboxRow: Sendable {
    package var seq: Int
    /// The stored target name; one this build does not know is never claimed.
    package var target: OutboxMessage.Target
    package var topic: String
    package var orderingKey: String
    /// Never logged: it may hold a license key.
    package var body: String
    package var messageId: String
    package var createdAt: String
    package var attempts: Int

    init(_ row: Row) throws(StoreError) {
        guard let target = OutboxMessage.Target(rawValue: try row.string(1)) else {
            throw StoreError(.sql, "outbox row \(try row.int(0)) has an unknown target")
        }
        seq = try row.int(0)
        self.target = target
        topic = try row.string(2)
        orderingKey = try row.string(3)
        body = try row.string(4)
        messageId = try row.string(5)
        createdAt = try row.string(6)
        attempts = try row.int(7)
    }
}

extension Store {
    /// Due head rows this daemon may send now (a head: every earlier row of its target and key is
    /// delivered), earliest due first: `free` of them, for the free delivery slots.
    ///
    /// On SQLite the daemon is the file's only deliverer, so this is a read; it also returns the
    /// heads of the `busy` keys this daemon has on the wire (still pending), which the caller
    /// skips, so it reads that many more. On PostgreSQL other daemons deliver from the same
    /// outbox: the rows are claimed in a short write, `FOR UPDATE SKIP LOCKED` with `claimant` and
    /// a lease, so no other daemon takes them until the lease has run out (a daemon that died
    /// mid-delivery leaves its rows to the others after it). A row on the wire is claimed, so
    /// none comes back, and no more than `free` are claimed: a claimed row not sent waits out its
    /// lease unless given back (``releaseClaims(seqs:claimant:)``). An outcome ends the claim.
    package func claimDueHeads(
        targets: [OutboxMessage.Target], now: Int64, free: Int, busy: Int, lease: Duration, claimant: String
    ) async throws -> [DueOutboxRow] {
        guard !targets.isEmpty, free > 0 else { return [] }
        switch engine {
        case .sqlite:
            return try read { connection in
                try connection.dueHeads(targets: targets, now: now, limit: free + busy)
            }
        case .postgresql:
            let leaseMilliseconds = Int64(lease.nanoseconds / 1_000_000)
            let targetList = targets.map(\.rawValue).joined(separator: ",")
            return try await write { transaction in
                try transaction.query(
                    OutboxClaimSQL.postgresql,
                    [.integer(now), .integer(leaseMilliseconds), .text(claimant), .text(targetList), SQLValue(free)]
                ).map { row throws(StoreError) in try DueOutboxRow(row) }
                    .sorted { $0.seq < $1.seq }
            }
        }
    }
}

extension Store {
    /// Gives back claims this daemon made but will not send on now (a row whose key is still busy
    /// in memory, or one past its free slots), so the next scan may claim them again at once
    /// instead of waiting out this daemon's own lease. Nothing to do on SQLite, which claims nothing.
    package func releaseClaims(seqs: [Int], claimant: String) async throws {
        guard engine == .postgresql, !seqs.isEmpty else { return }
        let list = seqs.map(String.init).joined(separator: ",")
        try await write { transaction in
            try transaction.execute(
                """
                UPDATE outbox SET claimed_by = NULL, lease_until_ms = NULL
                WHERE seq = ANY (string_to_array(?, ',')::bigint[]) AND claimed_by = ? AND status = 'pending'
                """,
                [.text(list), .text(claimant)])
        }
    }
}

extension ReadConnection {
    /// Heads that are pending and due now, earliest due first (a new row is due at its creation,
    /// so this is oldest first among rows never tried).
    ///
    /// The order is exactly `outbox_due`'s (status, next_attempt_ms, seq), so SQLite walks that
    /// index and stops at `limit` instead of sorting every pending row; `outbox_by_key`
    /// (target, ordering_key, seq) answers the head check per candidate.
    func dueHeads(targets: [OutboxMessage.Target], now: Int64, limit: Int) throws(StoreError) -> [DueOutboxRow] {
        let placeholders = targets.map { _ in "?" }.joined(separator: ", ")
        return try query(
            """
            SELECT o.seq, o.target, o.topic, o.ordering_key, o.body, o.message_id, o.created_at, o.attempts
            FROM outbox o
            WHERE o.status = 'pending' AND o.next_attempt_ms <= ? AND o.target IN (\(placeholders))
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.target = o.target AND e.ordering_key = o.ordering_key
                                AND e.seq < o.seq AND e.status <> 'delivered')
            ORDER BY o.next_attempt_ms, o.seq LIMIT ?
            """,
            [.integer(now)] + targets.map { .text($0.rawValue) } + [SQLValue(limit)]
        ).map { row throws(StoreError) in try DueOutboxRow(row) }
    }

    /// When the earliest head that is not due yet (or whose claim runs out) becomes due, so the
    /// delivery loop can sleep until then.
    package func nextDueTime(targets: [OutboxMessage.Target], after now: Int64) throws(StoreError) -> Int64? {
        guard !targets.isEmpty else { return nil }
        let placeholders = targets.indices.map { "?\($0 + 2)" }.joined(separator: ", ")
        return try queryFirst(
            """
            SELECT CASE WHEN o.lease_until_ms > o.next_attempt_ms THEN o.lease_until_ms ELSE o.next_attempt_ms END
                   AS due
            FROM outbox o
            WHERE o.status = 'pending' AND o.target IN (\(placeholders))
              AND (o.next_attempt_ms > ?1 OR o.lease_until_ms > ?1)
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.target = o.target AND e.ordering_key = o.ordering_key
                                AND e.seq < o.seq AND e.status <> 'delivered')
            ORDER BY due LIMIT 1
            """,
            [.integer(now)] + targets.map { .text($0.rawValue) }
        )?.optionalInt(0).map(Int64.init)
    }
}
