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
        var canonical = JournalCanonical()
        var previousHash = Array(JournalHead.genesisHash.utf8)
        var expectedSeq: Int64 = 1
        var entries = 0
        var firstBad: Int64?

        try connection.withStatement(
            """
            SELECT seq, at, method, entity_type, entity_id, peer_uid, peer_gid, peer_pid, request_id, change,
                   prev_hash, hash
            FROM journal ORDER BY seq
            """
        ) { statement throws(StoreError) in
            while try statement.step() {
                entries += 1
                if firstBad != nil { continue }
                let seq = statement.int64(0)
                guard seq == expectedSeq else {
                    // A gap means rows were deleted: the first missing seq is where the chain breaks.
                    firstBad = min(seq, expectedSeq)
                    continue
                }
                guard Self.hasExpectedTypes(statement) else {
                    firstBad = seq
                    continue
                }
                let prevHash = statement.textBytes(10)
                guard Self.same(prevHash, previousHash) else {
                    firstBad = seq
                    continue
                }
                canonical.build(
                    seq: seq, at: statement.textBytes(1), change: statement.textBytes(9),
                    entityId: statement.textBytes(4), entityType: statement.textBytes(3),
                    method: statement.textBytes(2),
                    peerUid: statement.int64(5), peerGid: statement.int64(6), peerPid: statement.int64(7),
                    prevHash: prevHash,
                    requestId: statement.type(8) == SQLITE_NULL ? nil : statement.textBytes(8))
                let hash = statement.textBytes(11)
                guard JournalCanonical.hex(hash, spells: SHA256Digest.hash(canonical.bytes)) else {
                    firstBad = seq
                    continue
                }
                previousHash.withUnsafeMutableBufferPointer { target in
                    // Both are 64 bytes: `hash` just matched a 32-byte digest's hex spelling.
                    _ = target.update(fromContentsOf: hash)
                }
                expectedSeq += 1
            }
        }

        let lastGoodSeq = Int(expectedSeq - 1)
        let headHash = entries == 0 ? JournalHead.genesisHash : try journalHead().hash
        if firstBad == nil {
            // The rows form a valid chain; it must also be the one the writer last committed.
            let lastHash = String(decoding: previousHash, as: UTF8.self)
            if stored.seq > lastGoodSeq {
                firstBad = Int64(lastGoodSeq + 1)  // the newest rows were cut off
            } else if stored.seq < lastGoodSeq {
                firstBad = Int64(stored.seq + 1)  // rows appended past the committed head
            } else if stored.hash != lastHash {
                firstBad = Int64(max(lastGoodSeq, 1))  // the last row was rebuilt, or the head edited
            }
        }
        return JournalVerification(
            ok: firstBad == nil, entries: entries, headHash: headHash, firstBadSeq: firstBad.map { Int($0) })
    }

    private static func same(_ stored: UnsafeBufferPointer<UInt8>, _ expected: [UInt8]) -> Bool {
        guard stored.count == expected.count, let storedBytes = stored.baseAddress else { return false }
        return expected.withUnsafeBufferPointer { memcmp($0.baseAddress!, storedBytes, stored.count) == 0 }
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

    /// The head the writer recorded with its last commit.
    private func storedHead() throws(StoreError) -> JournalHead {
        let rows = try query(
            "SELECT key, value FROM store_meta WHERE key IN ('journal_head_seq', 'journal_head_hash')")
        var head = JournalHead.genesis
        for row in rows {
            switch try row.string(0) {
            case "journal_head_seq": head.seq = (try? row.int(1)) ?? -1
            default: head.hash = (try? row.string(1)) ?? ""
            }
        }
        return head
    }
}
