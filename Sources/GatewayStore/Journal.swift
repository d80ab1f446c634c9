import GatewayJSON

/// Who made a call, as the kernel reported it for the connection (`SO_PEERCRED`, `SO_PEERGROUPS`):
/// the one caller identity that access rules check and journal entries record (uid, gid, pid).
public struct Peer: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// The supplementary groups the peer process holds; access rules only, never journalled.
    public var groups: [UInt32]

    public init(uid: UInt32, gid: UInt32, pid: Int32, groups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups
    }
}

/// What a mutation asks the journal to record; the writer adds `seq`, `at` and the hashes, because
/// only the single writer knows the chain's head at the moment the entry is appended.
public struct JournalDraft: Sendable {
    public var method: String
    public var entityType: String
    public var entityId: String
    public var peer: Peer
    /// The JSON-RPC id's JSON text (`"7"`, `"\"abc\""`); nil for notifications.
    public var requestId: String?
    /// The new state, secrets already replaced by their hashes.
    public var change: JSONValue

    public init(
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

/// The newest entry of the chain: the next entry gets `seq + 1` and `prevHash = hash`.
public struct JournalHead: Sendable, Equatable {
    public var seq: Int
    public var hash: String

    public init(seq: Int, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The `prevHash` of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)
    public static let genesis = JournalHead(seq: 0, hash: genesisHash)
}

/// The outcome of re-checking the whole chain.
public struct JournalVerification: Sendable, Equatable {
    public var ok: Bool
    /// Rows in the journal table.
    public var entries: Int
    /// The newest row's stored hash (64 zeros for an empty journal).
    public var headHash: String
    /// The first seq at which the chain is broken: an edited, inserted or swapped row, or the seq
    /// of a row that is missing.
    public var firstBadSeq: Int?

    public init(ok: Bool, entries: Int, headHash: String, firstBadSeq: Int?) {
        self.ok = ok
        self.entries = entries
        self.headHash = headHash
        self.firstBadSeq = firstBadSeq
    }
}

/// One journal row as stored: every hashed field plus `hash` (SPEC 6).
public struct JournalEntry: Sendable, Equatable {
    public var seq: Int
    public var at: String
    public var method: String
    public var entityType: String
    public var entityId: String
    public var peer: Peer
    public var requestId: String?
    /// The stored change; if it no longer parses the row was tampered with, and it is kept as the
    /// text it is, so an operator sees that (verify names the row).
    public var change: JSONValue
    public var prevHash: String
    public var hash: String

    /// The entry in SPEC 6's own format: the hashed members, in this order, plus `hash`. This is
    /// what an auditor hashes (JCS of it without `hash`), so `journal.list` shows exactly this.
    public var json: JSONValue {
        let peer = JSONObject([
            ("uid", JSONValue(Int(peer.uid))), ("gid", JSONValue(Int(peer.gid))), ("pid", JSONValue(Int(peer.pid))),
        ])
        return .object(
            JSONObject([
                ("seq", JSONValue(seq)), ("at", .string(at)), ("method", .string(method)),
                ("entityType", .string(entityType)), ("entityId", .string(entityId)), ("peer", .object(peer)),
                ("requestId", JSONValue(requestId)), ("change", change), ("prevHash", .string(prevHash)),
                ("hash", .string(hash)),
            ]))
    }
}
