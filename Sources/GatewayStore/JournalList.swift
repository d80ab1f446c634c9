import GatewayJSON

extension ReadConnection {
    /// Journal entries after `afterSeq`, oldest first, optionally for one entity.
    ///
    /// Entries carry every hashed field plus `hash`, so anyone can recompute the chain from them
    /// alone. `nextAfterSeq` is set when more entries follow (pass it as `afterSeq`).
    package func journalList(afterSeq: Int = 0, entityId: String? = nil, limit: Int = 100)
        throws(StoreError) -> (entries: [JournalEntry], nextAfterSeq: Int?)
    {
        let limit = min(max(limit, 1), 1000)
        let columns =
            "seq, at, method, entity_type, entity_id, peer_uid, peer_gid, peer_pid, request_id, change, prev_hash, hash"
        let rows: [Row]
        if let entityId {
            rows = try query(
                "SELECT \(columns) FROM journal WHERE entity_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                [.text(entityId), SQLValue(afterSeq), SQLValue(limit + 1)])
        } else {
            rows = try query(
                "SELECT \(columns) FROM journal WHERE seq > ? ORDER BY seq LIMIT ?",
                [SQLValue(afterSeq), SQLValue(limit + 1)])
        }
        let page = rows.prefix(limit)
        var entries: [JournalEntry] = []
        entries.reserveCapacity(page.count)
        for row in page {
            entries.append(try Self.entry(row))
        }
        let next = rows.count > limit ? try page.last?.int(0) : nil
        return (entries, next)
    }

    /// The newest entry, or seq 0 with the genesis hash for an empty journal.
    package func journalHead() throws(StoreError) -> JournalHead {
        guard let row = try queryFirst("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1") else {
            return .genesis
        }
        return JournalHead(seq: try row.int(0), hash: try row.string(1))
    }

    private static func entry(_ row: Row) throws(StoreError) -> JournalEntry {
        let changeText = try row.string(9)
        let draft = JournalDraft(
            method: try row.string(2), entityType: try row.string(3), entityId: try row.string(4),
            peer: Peer(uid: UInt32(try row.int(5)), gid: UInt32(try row.int(6)), pid: Int32(try row.int(7))),
            requestId: try row.optionalString(8),
            change: (try? JSONValue.parse(changeText, maxDepth: 1024)) ?? .string(changeText))
        return JournalEntry(
            seq: try row.int(0), at: try row.string(1), draft: draft, prevHash: try row.string(10),
            hash: try row.string(11))
    }
}
