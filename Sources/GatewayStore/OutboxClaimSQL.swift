/// Claims due outbox heads for one daemon, so several daemons sharing a database never send the
/// same row at once and never send a key's rows out of order (SPEC 9).
///
/// A *head* is a pending row with no earlier row (lower seq) of its `(target, ordering_key)` that
/// is not delivered, as in `dueHeads`. A claimed row stays pending; its `lease_until_ms` keeps
/// other daemons off it until the lease runs out, and the rows behind it wait because it is still
/// pending. A row is free when it has no lease or its lease has run out; `claimed_by` only says who.
///
/// The statement takes five parameters, in this order:
/// 1. now, epoch milliseconds (int)
/// 2. the lease, milliseconds (int): `lease_until_ms` becomes now + lease
/// 3. the claimant, the daemon's node name and pid (text), stored in `claimed_by`
/// 4. the targets to claim for, comma-separated (text): `esignet,ida`; a target whose URL is null
///    is left out, so its rows stay pending
/// 5. how many rows at most (int)
///
/// It returns `seq, target, topic, ordering_key, body, message_id, created_at, attempts` (the
/// columns `dueHeads` reads), in no particular order: each row is a different key's head.
/// Writing an attempt's outcome should set `claimed_by` and `lease_until_ms` back to NULL, or a
/// row retried sooner than its lease runs out waits for the lease.
package enum OutboxClaimSQL {
    /// PostgreSQL, in its own short transaction. `SKIP LOCKED`: a row another daemon is claiming
    /// right now is passed over instead of waited for; once that claim commits, its lease excludes
    /// the row. MATERIALIZED so the locking query runs exactly once.
    package static let postgresql: String = """
        WITH due AS MATERIALIZED (
            SELECT o.seq FROM outbox o
            WHERE o.status = 'pending' AND o.next_attempt_ms <= $1
              AND o.target = ANY (string_to_array($4, ','))
              AND (o.lease_until_ms IS NULL OR o.lease_until_ms < $1)
              AND NOT EXISTS (SELECT 1 FROM outbox e
                              WHERE e.target = o.target AND e.ordering_key = o.ordering_key
                                AND e.seq < o.seq AND e.status <> 'delivered')
            ORDER BY o.next_attempt_ms, o.seq
            LIMIT $5
            FOR UPDATE OF o SKIP LOCKED
        )
        UPDATE outbox SET claimed_by = $3, lease_until_ms = $1 + $2
        FROM due WHERE outbox.seq = due.seq
        RETURNING outbox.seq, outbox.target, outbox.topic, outbox.ordering_key, outbox.body, outbox.message_id,
                  outbox.created_at, outbox.attempts
        """

    /// The SQLite store step that gives `outbox` the two claim columns PostgreSQL's has, in the same
    /// place (last), so recording an outcome is one statement on both engines.
    package static let sqliteColumns: String = """
        ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
        ALTER TABLE outbox ADD COLUMN lease_until_ms INTEGER;
        """
}
