import GatewayJSON

/// Who made a call, as the kernel reported it for the connection (`SO_PEERCRED`, `SO_PEERGROUPS`):
/// the one caller identity that access rules check and journal entries record (uid, gid, pid).
package struct Peer: Sendable, Equatable {
    package var uid: UInt32
    package var gid: UInt32
    package var pid: Int32
    /// The supplementary groups the peer process holds; access rules only, never journalled.
    package var groups: [UInt32]

    package init(uid: UInt32, gid: UInt32, pid: Int32, groups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups
    }
}

/// What a mutation asks the journal to record; the writer adds `seq`, `at` and the hashes, because
/// only the single writer knows the chain's head at the moment the entry is appended.
package struct JournalDraft: Sendable, Equatable {
    package var method: String
    package var entityType: String
    package var entityId: String
    package var peer: Peer
    /// The JSON-RPC id's JSON text (`"7"`, `"\"abc\""`); nil for notifications.
    package var requestId: String?
    /// The new state, secrets already replaced by their hashes.
    package var change: JSONValue

    package init(
        method: String, entityType: String, entityId: String, peer: Peer, requestId: String?, change: JSONValue
    ) {
        self.method = method
        self.entityType = entityType
        self.entityId = entityId
        self.peer = peer
        self.requestId = requestId
        self.change = change
    }
}

/// A draft with its `change` already in canonical JSON text, the form the chain hashes: a write
/// can encode its entry before it queues, and leave the single writer only the hash.
package struct EncodedJournalDraft: Sendable {
    package let draft: JournalDraft
    let canonicalChange: String

    package init(_ draft: JournalDraft) {
        self.draft = draft
        canonicalChange = draft.change.canonicalText()
    }
}

/// The newest entry of the chain: the next entry gets `seq + 1` and `prevHash = hash`.
package struct JournalHead: Sendable, Equatable {
    package var seq: Int
    package var hash: String

    package init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The `prevHash` of the first entry.
    package static let genesisHash = String(repeating: "0", count: 64)
    package static let genesis = JournalHead(seq: 0, hash: genesisHash)
}

/// The outcome of re-checking the whole chain.
package struct JournalVerification: Sendable, Equatable {
    package var ok: Bool
    /// Rows in the journal table.
    package var entries: Int
    /// The newest row's stored hash (64 zeros for an empty journal).
    package var headHash: String
    /// The first seq at which the chain is broken: an edited, inserted or swapped row, or the seq
    /// of a row that is missing.
    package var firstBadSeq: Int?

    package init(ok: Bool, entries: Int, headHash: String, firstBadSeq: Int?) {
        self.ok = ok
        self.entries = entries
        self.headHash = headHash
        self.firstBadSeq = firstBadSeq
    }
}

/// One journal row as stored: the draft it recorded, where it stands in the chain, and `hash`.
package struct JournalEntry: Sendable, Equatable {
    package var seq: Int
    package var at: String
    /// What was recorded. A stored change that no longer parses was tampered with; it is kept as
    /// the text it is, so an operator sees that (verify names the row).
    package var draft: JournalDraft
    package var prevHash: String
    package var hash: String

    /// The entry in SPEC 6's own format: the hashed members, in this order, plus `hash`. This is
    /// what an auditor hashes (JCS of it without `hash`), so `journal.list` shows exactly this.
    package var json: JSONValue {
        let peer = JSONObject([
            ("uid", JSONValue(Int(draft.peer.uid))), ("gid", JSONValue(Int(draft.peer.gid))),
            ("pid", JSONValue(Int(draft.peer.pid))),
        ])
        return .object(
            JSONObject([
                ("seq", JSONValue(seq)), ("at", .string(at)), ("method", .string(draft.method)),
                ("entityType", .string(draft.entityType)), ("entityId", .string(draft.entityId)),
                ("peer", .object(peer)), ("requestId", JSONValue(draft.requestId)), ("change", draft.change),
                ("prevHash", .string(prevHash)), ("hash", .string(hash)),
            ]))
    }
}
