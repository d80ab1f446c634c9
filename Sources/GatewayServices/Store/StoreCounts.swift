import GatewayStore

/// What `system.health` counts, each in constant time.
package struct StoreCounts: Sendable, Equatable {
    package var journalHead: Int
    package var clients: Int
    package var licenses: Int
    package var outboxPending: Int
    package var outboxFailed: Int
    package var outboxRejected: Int
}

extension ReadConnection {
    /// The journal's newest seq, the clients and licenses counted, and the outbox's trigger-kept
    /// counts (summed: on PostgreSQL each server process keeps its own shard of them, so daemons
    /// enqueueing at once never wait on one counter row), so health stays cheap at any backlog.
    ///
    /// Clients are counted, not taken from the newest seq: a PostgreSQL identity skips the values of
    /// rolled-back inserts (two daemons racing for one key), and a refused client is deleted.
    package func counts() throws(StoreError) -> StoreCounts {
        let row = try queryFirst(
            """
            SELECT (SELECT coalesce(max(seq), 0) FROM journal), (SELECT count(*) FROM clients),
                   (SELECT count(*) FROM licenses),
                   (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM outbox_counts WHERE status = 'pending'),
                   (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM outbox_counts WHERE status = 'failed'),
                   (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM outbox_counts WHERE status = 'rejected')
            """)
        return StoreCounts(
            journalHead: try row?.int(0) ?? 0, clients: try row?.int(1) ?? 0, licenses: try row?.int(2) ?? 0,
            outboxPending: try row?.int(3) ?? 0, outboxFailed: try row?.int(4) ?? 0,
            outboxRejected: try row?.optionalInt(5) ?? 0)
    }
}
