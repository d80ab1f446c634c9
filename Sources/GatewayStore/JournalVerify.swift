import CSQLite
import GatewayCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension ReadConnection {
    /// Recomputes the whole hash chain from the stored columns.
    ///
    /// Each row's canonical text is rebuilt from the same columns `journal.list` shows and hashed;
    /// the result must equal the stored `hash`, `prev_hash` must equal the previous row's hash, and
    /// seqs must run 1, 2, 3, … without gaps. That catches an edited column (any of them), a
    /// deleted, inserted or reordered row. The stored head (moved in every writing transaction)
    /// also catches rows cut off the end. No JSON is parsed: a million entries take about a second.
    package func journalVerify() throws(StoreError) -> JournalVerification {
        let stored = try storedHead()
        var chain = ChainCheck()
        if let connection = session as? Connection {
            try connection.withStatement("SELECT \(Self.verifiedColumns) FROM journal ORDER BY seq") {
                statement throws(StoreError) in
                while try statement.step() {
                    chain.check(
                        seq: statement.int64(0), typesAreRight: Self.hasExpectedTypes(statement),
                        at: statement.textBytes(1), method: statement.textBytes(2),
                        entityType: statement.textBytes(3), entityId: statement.textBytes(4),
                        peer: (statement.int64(5), statement.int64(6), statement.int64(7)),
                        requestId: statement.type(8) == SQLITE_NULL ? nil : statement.textBytes(8),
                        change: statement.textBytes(9), prevHash: statement.textBytes(10),
                        hash: statement.textBytes(11))
                }
            }
        } else {
            // A server's rows come in pages, so a long journal never sits in memory whole.
            var after: Int64 = 0
            while true {
                let rows = try query(
                    "SELECT \(Self.verifiedColumns) FROM journal WHERE seq > ? ORDER BY seq LIMIT 10000",
                    [.integer(after)])
                for row in rows {
                    let requestId = row[8]
                    let types =
                        [1, 2, 3, 4, 9, 10, 11].allSatisfy { if case .text = row[$0] { true } else { false } }
                        && [5, 6, 7].allSatisfy { if case .integer = row[$0] { true } else { false } }
                        && (requestId.isNull || { if case .text = requestId { true } else { false } }())
                    chain.check(
                        seq: Int64(try row.int(0)), typesAreRight: types,
                        at: Self.text(row[1]).utf8, method: Self.text(row[2]).utf8,
                        entityType: Self.text(row[3]).utf8, entityId: Self.text(row[4]).utf8,
                        peer: (Self.integer(row[5]), Self.integer(row[6]), Self.integer(row[7])),
                        requestId: requestId.isNull ? nil : Self.text(requestId).utf8,
                        change: Self.text(row[9]).utf8, prevHash: Self.text(row[10]).utf8,
                        hash: Self.text(row[11]).utf8)
                }
                guard rows.count == 10000, let last = rows.last else { break }
                after = Int64(try last.int(0))
            }
        }

        let lastGoodSeq = Int(chain.expectedSeq - 1)
        let headHash = chain.entries == 0 ? JournalHead.genesisHash : try journalHead().hash
        var firstBad = chain.firstBad
        if firstBad == nil {
            // The rows form a valid chain; it must also be the one the writer last committed.
            let lastHash = String(decoding: chain.previousHash, as: UTF8.self)
            if stored.seq > lastGoodSeq {
                firstBad = Int64(lastGoodSeq + 1)  // the newest rows were cut off
            } else if stored.seq < lastGoodSeq {
                firstBad = Int64(stored.seq + 1)  // rows appended past the committed head
            } else if stored.hash != lastHash {
                firstBad = Int64(max(lastGoodSeq, 1))  // the last row was rebuilt, or the head edited
            }
        }
        return JournalVerification(
            ok: firstBad == nil, entries: chain.entries, headHash: headHash, firstBadSeq: firstBad.map { Int($0) })
    }

    private static let verifiedColumns = """
        seq, at, method, entity_type, entity_id, peer_uid, peer_gid, peer_pid, request_id, change, prev_hash, hash
        """

    private static func text(_ value: SQLValue) -> String {
        if case .text(let text) = value { text } else { "" }
    }

    private static func integer(_ value: SQLValue) -> Int64 {
        if case .integer(let integer) = value { integer } else { 0 }
    }

    /// STRICT tables keep types, but a row written with the schema altered could still hold a
    /// blob where text belongs; `journal.list` would show that differently from what was hashed.
    private static func hasExpectedTypes(_ statement: Statement) -> Bool {
        let requestId = statement.type(8)
        return statement.type(1) == SQLITE_TEXT && statement.type(2) == SQLITE_TEXT
            && statement.type(3) == SQLITE_TEXT && statement.type(4) == SQLITE_TEXT
            && statement.type(5) == SQLITE_INTEGER && statement.type(6) == SQLITE_INTEGER
            && statement.type(7) == SQLITE_INTEGER && (requestId == SQLITE_NULL || requestId == SQLITE_TEXT)
            && statement.type(9) == SQLITE_TEXT && statement.type(10) == SQLITE_TEXT
            && statement.type(11) == SQLITE_TEXT
    }

    /// The head the writer recorded with its last commit; an unreadable one matches no chain.
    private func storedHead() throws(StoreError) -> JournalHead {
        let rows = try query(
            "SELECT key, value FROM store_meta WHERE key IN ('journal_head_seq', 'journal_head_hash')")
        return (try? JournalHead(storeMeta: rows)) ?? JournalHead(seq: -1, hash: "")
    }
}

/// The running check of a chain, row by row in seq order, whichever engine the rows came from.
///
/// Each row's canonical text is rebuilt from its columns and hashed; the result must equal the
/// stored `hash`, `prev_hash` must equal the previous row's hash, and seqs must run 1, 2, 3, …
/// without gaps. No JSON is parsed: a million entries take about a second.
private struct ChainCheck {
    private var canonical = JournalCanonical()
    private(set) var previousHash = Array(JournalHead.genesisHash.utf8)
    private(set) var expectedSeq: Int64 = 1
    private(set) var entries = 0
    private(set) var firstBad: Int64?

    mutating func check<Text: Collection<UInt8>>(
        seq: Int64, typesAreRight: Bool, at: Text, method: Text, entityType: Text, entityId: Text,
        peer: (uid: Int64, gid: Int64, pid: Int64), requestId: Text?, change: Text, prevHash: Text, hash: Text
    ) {
        entries += 1
        if firstBad != nil { return }
        guard seq == expectedSeq else {
            // A gap means rows were deleted: the first missing seq is where the chain breaks.
            firstBad = min(seq, expectedSeq)
            return
        }
        guard typesAreRight, prevHash.elementsEqual(previousHash) else {
            firstBad = seq
            return
        }
        canonical.build(
            seq: seq, at: at, change: change, entityId: entityId, entityType: entityType, method: method,
            peerUid: peer.uid, peerGid: peer.gid, peerPid: peer.pid, prevHash: prevHash, requestId: requestId)
        let digest = SHA256Digest.hash(canonical.bytes)
        guard JournalCanonical.hex(hash, spells: digest) else {
            firstBad = seq
            return
        }
        previousHash.removeAll(keepingCapacity: true)
        previousHash.append(contentsOf: hash)
        expectedSeq += 1
    }
}
