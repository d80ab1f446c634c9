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
    /// Counts from the rowid maxima (clients and licenses are never deleted) and the outbox's
    /// trigger-kept counts, so health stays cheap enough for a tight probe loop at any size.
    package func counts() throws(StoreError) -> StoreCounts {
        let row = try queryFirst(
            """
            SELECT (SELECT ifnull(max(seq), 0) FROM journal), (SELECT ifnull(max(seq), 0) FROM clients),
                   (SELECT ifnull(max(seq), 0) FROM licenses),
                   (SELECT n FROM outbox_counts WHERE status = 'pending'),
                   (SELECT n FROM outbox_counts WHERE status = 'failed'),
                   (SELECT n FROM outbox_counts WHERE status = 'rejected')
            """)
        return StoreCounts(
            journalHead: try row?.int(0) ?? 0, clients: try row?.int(1) ?? 0, licenses: try row?.int(2) ?? 0,
            outboxPending: try row?.int(3) ?? 0, outboxFailed: try row?.int(4) ?? 0,
            outboxRejected: try row?.optionalInt(5) ?? 0)
    }
}
