import GatewayCrypto
import GatewayJSON

/// The state a write body sees: the writer's connection inside an open transaction and savepoint.
///
/// Non-copyable so the journal head it carries cannot be forked: a copy that appended an entry
/// would leave the original with a stale head, and the next entry in the group would reuse a seq.
/// Do not issue BEGIN, COMMIT or ROLLBACK here; the writer owns the transaction (a body's own
/// named SAVEPOINTs are fine).
package struct WriteTransaction: ~Copyable {
    let connection: Connection
    /// The newest entry appended so far, committed or in this group.
    package internal(set) var journalHead: JournalHead

    init(connection: Connection, journalHead: JournalHead) {
        self.connection = connection
        self.journalHead = journalHead
    }

    /// Runs one statement; the number of rows it changed.
    @discardableResult
    package func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Int {
        do {
            return try connection.execute(sql, bindings)
        } catch {
            throw error.asWriteFailure
        }
    }

    /// Runs a query inside the transaction, so it sees this group's uncommitted changes.
    package func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [Row] {
        do {
            return try connection.query(sql, bindings)
        } catch {
            throw error.asWriteFailure
        }
    }

    /// The rowid of the last INSERT on this connection.
    package var lastInsertRowID: Int { connection.lastInsertRowID }

    /// Appends an entry to the hash chain, in this transaction.
    ///
    /// Stored one field per column plus the hash; `change` is stored canonical, so the row alone
    /// is enough to rebuild the exact bytes that were hashed.
    @discardableResult
    package mutating func journal(_ draft: JournalDraft) throws(StoreError) -> JournalHead {
        let seq = journalHead.seq + 1
        let at = UTCTimestamp.now()
        let change = draft.change.canonicalText()
        var canonical = JournalCanonical()
        canonical.build(
            seq: Int64(seq), at: at.utf8, change: change.utf8, entityId: draft.entityId.utf8,
            entityType: draft.entityType.utf8, method: draft.method.utf8,
            peerUid: Int64(draft.peer.uid), peerGid: Int64(draft.peer.gid), peerPid: Int64(draft.peer.pid),
            prevHash: journalHead.hash.utf8, requestId: draft.requestId?.utf8)
        let hash = SHA256Digest.hex(canonical.bytes)
        try execute(
            """
            INSERT INTO journal (seq, at, method, entity_type, entity_id, peer_uid, peer_gid, peer_pid,
                                 request_id, change, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                SQLValue(seq), .text(at), .text(draft.method), .text(draft.entityType), .text(draft.entityId),
                .integer(Int64(draft.peer.uid)), .integer(Int64(draft.peer.gid)), .integer(Int64(draft.peer.pid)),
                SQLValue(draft.requestId), .text(change), .text(journalHead.hash), .text(hash),
            ])
        journalHead = JournalHead(seq: seq, hash: hash)
        return journalHead
    }
}
