import GatewayCrypto
import GatewayJSON

/// Appends a group's journal entries to the chain, as the last step before COMMIT.
///
/// On SQLite the writer is the file's only writer and knows the head. On PostgreSQL every daemon
/// appends to one chain, so the head rows in `store_meta` are read `FOR UPDATE`: a second daemon's
/// append waits on that row lock until the first COMMITs, then reads the head that COMMIT wrote
/// (READ COMMITTED re-reads a row it waited on). The chain therefore stays gapless and linear, and
/// the lock is held only from here to COMMIT, while the rest of both groups runs side by side.
enum JournalAppender {
    /// Rows per INSERT: fewer round trips on PostgreSQL, and a bounded set of statement texts.
    private static let rowsPerInsert = 16

    /// The new head, or nil when the group journalled nothing (the head did not move).
    static func append(_ entries: [StampedDraft], on session: any DatabaseSession, knownHead: JournalHead?)
        throws(StoreError) -> JournalHead?
    {
        guard !entries.isEmpty else { return nil }
        var head: JournalHead
        if let knownHead { head = knownHead } else { head = try lockedHead(session) }
        var canonical = JournalCanonical()
        let hasher = SHA256Hasher()
        var start = entries.startIndex
        while start < entries.endIndex {
            let chunk = entries[start..<min(start + rowsPerInsert, entries.endIndex)]
            var bindings: [SQLValue] = []
            bindings.reserveCapacity(chunk.count * 12)
            for entry in chunk {
                let seq = head.seq + 1
                let draft = entry.draft.draft
                let change = entry.draft.canonicalChange
                canonical.build(
                    seq: Int64(seq), at: entry.at.utf8, change: change.utf8, entityId: draft.entityId.utf8,
                    entityType: draft.entityType.utf8, method: draft.method.utf8,
                    peerUid: Int64(draft.peer.uid), peerGid: Int64(draft.peer.gid), peerPid: Int64(draft.peer.pid),
                    prevHash: head.hash.utf8, requestId: draft.requestId?.utf8)
                let hash = hasher.hex(canonical.bytes)
                bindings += [
                    SQLValue(seq), .text(entry.at), .text(draft.method), .text(draft.entityType),
                    .text(draft.entityId), .integer(Int64(draft.peer.uid)), .integer(Int64(draft.peer.gid)),
                    .integer(Int64(draft.peer.pid)), SQLValue(draft.requestId), .text(change), .text(head.hash),
                    .text(hash),
                ]
                head = JournalHead(seq: seq, hash: hash)
            }
            try session.execute(inserts[chunk.count - 1], bindings)
            start = chunk.endIndex
        }
        // SQLite's `value` column is untyped and holds the seq as an integer; PostgreSQL's is text.
        let seqValue: SQLValue = session.engine == .sqlite ? SQLValue(head.seq) : .text(String(head.seq))
        try session.execute("UPDATE store_meta SET value = ? WHERE key = 'journal_head_seq'", [seqValue])
        try session.execute("UPDATE store_meta SET value = ? WHERE key = 'journal_head_hash'", [.text(head.hash)])
        return head
    }

    /// The committed head, locked until this transaction ends. `ORDER BY key` locks the two rows
    /// in one order in every daemon; in physical order (which each update changes) two daemons
    /// could each hold one and wait for the other.
    private static func lockedHead(_ session: any DatabaseSession) throws(StoreError) -> JournalHead {
        let rows = try session.query(
            """
            SELECT key, value FROM store_meta WHERE key IN ('journal_head_seq', 'journal_head_hash')
            ORDER BY key FOR UPDATE
            """, [])
        return try JournalHead(storeMeta: rows)
    }

    /// The INSERT for 1 … `rowsPerInsert` rows, built once rather than at every commit.
    private static let inserts: [String] = (1...rowsPerInsert).map { rows in
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return """
            INSERT INTO journal (seq, at, method, entity_type, entity_id, peer_uid, peer_gid, peer_pid,
                                 request_id, change, prev_hash, hash)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """
    }
}

extension JournalHead {
    /// The head as `store_meta` records it: its `journal_head_seq` and `journal_head_hash` rows.
    /// The seq is an integer on SQLite and text on PostgreSQL; anything else is damage.
    init(storeMeta rows: [Row]) throws(StoreError) {
        var head = JournalHead(seq: -1, hash: "")
        for row in rows {
            switch (try row.string(0), row[1]) {
            case ("journal_head_seq", .integer(let seq)): head.seq = Int(seq)
            case ("journal_head_seq", .text(let text)): head.seq = Int(text) ?? -1
            case ("journal_head_hash", .text(let hash)): head.hash = hash
            default: break
            }
        }
        guard head.seq >= 0, head.hash.utf8.count == 64 else {
            throw StoreError(.corrupt, "store_meta does not hold a journal head")
        }
        self = head
    }
}
