import GatewayCrypto
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// Entries with awkward text, so the canonical form is exercised where JCS is strict.
let awkwardDrafts: [JournalDraft] = [
    draft("plain"),
    JournalDraft(
        method: "client.create", entityType: "oidcClient", entityId: "quote\"back\\slash",
        peer: Peer(uid: 0, gid: 0, pid: 1), requestId: "\"abc\"",
        change: [
            "z": 1, "a": ["nested": [1, "two", nil, true]], "é": "ünïcødé 🎉", "ctl": "\u{1}\t\n\r\u{8}\u{c}\u{1f}",
        ]),
    JournalDraft(
        method: "license.generate", entityType: "mispLicense", entityId: "line\nbreak",
        peer: Peer(uid: UInt32.max, gid: 7, pid: -1), requestId: nil,
        change: try! JSONValue.parse("{\"b\":1.50,\"a\":1e3,\"c\":-0.0,\"d\":[],\"e\":{}}")),
    draft("\u{2028}separator", requestId: "9007199254740993"),
]

@Suite("Journal")
struct JournalTests {

    @Test(arguments: TestStore.allCases) func chainVerifiesAndHeadsAgree(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        for index in 0..<25 {
            try await store.write { $0.journal(draft("e\(index % 5)")) }
        }
        let (result, head) = try store.read { (try $0.journalVerify(), try $0.journalHead()) }
        #expect(result.ok)
        #expect(result.entries == 25)
        #expect(result.firstBadSeq == nil)
        #expect(result.headHash == head.hash)
        #expect(head == store.journalHead)
        #expect(head.seq == 25)
    }

    @Test(arguments: TestStore.allCases) func emptyJournalVerifies(_ engine: TestStore) throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        let result = try store.read { try $0.journalVerify() }
        #expect(
            result == JournalVerification(ok: true, entries: 0, headHash: JournalHead.genesisHash, firstBadSeq: nil))
    }

    /// The spec's promise: anyone can recompute the chain from `journal.list` output alone, with any
    /// RFC 8785 implementation; here, GatewayJSON's.
    @Test(arguments: TestStore.allCases) func chainIsRecomputableFromListOutputAlone(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        for entry in awkwardDrafts {
            try await store.write { $0.journal(entry) }
        }
        let (entries, next) = try store.read { try $0.journalList(afterSeq: 0, limit: 100) }
        #expect(next == nil)
        try #require(entries.count == awkwardDrafts.count)
        var previous = JournalHead.genesisHash
        for (index, entry) in entries.enumerated() {
            var object = try #require(entry.json.objectValue)
            #expect(
                object.keys == [
                    "seq", "at", "method", "entityType", "entityId", "peer", "requestId", "change", "prevHash", "hash",
                ])
            let hash = try #require(object["hash"]?.stringValue)
            object["hash"] = nil
            #expect(SHA256Digest.hex(JSONValue.object(object).canonicalBytes()) == hash, "entry \(index + 1)")
            #expect(object["prevHash"]?.stringValue == previous)
            #expect(object["seq"]?.intValue == index + 1)
            previous = hash
        }
        #expect(entries[1].json["change"] == awkwardDrafts[1].change)
        #expect(entries[1].json["requestId"]?.stringValue == "\"abc\"")
        #expect(entries[2].json["requestId"] == .null)
        #expect(entries[2].json["peer"] == ["uid": JSONValue(Int(UInt32.max)), "gid": 7, "pid": -1])
        #expect(try store.read { try $0.journalVerify() }.ok)
    }

    @Test(arguments: TestStore.allCases) func listPagesAndFiltersByEntity(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        for index in 1...10 {
            try await store.write { $0.journal(draft(index % 2 == 0 ? "even" : "odd")) }
        }
        let first = try store.read { try $0.journalList(afterSeq: 0, limit: 4) }
        #expect(first.entries.map(\.seq) == [1, 2, 3, 4])
        #expect(first.nextAfterSeq == 4)
        let rest = try store.read { try $0.journalList(afterSeq: 4, limit: 100) }
        #expect(rest.entries.count == 6)
        #expect(rest.nextAfterSeq == nil)
        let even = try store.read { try $0.journalList(afterSeq: 0, entityId: "even", limit: 3) }
        #expect(even.entries.map(\.seq) == [2, 4, 6])
        #expect(even.nextAfterSeq == 6)
        let exact = try store.read { try $0.journalList(afterSeq: 6, entityId: "even", limit: 2) }
        #expect(exact.entries.map(\.seq) == [8, 10])
        #expect(exact.nextAfterSeq == nil)
    }

    @Test(arguments: TestStore.allCases) func entryFieldsMatchTheDraft(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        let before = UTCTimestamp.now()
        try await store.write { $0.journal(draft("one", method: "partner.put", change: ["status": "ACTIVE"])) }
        let entry = try #require(try store.read { try $0.journalList() }.entries.first?.json)
        #expect(entry["method"] == "partner.put")
        #expect(entry["entityType"] == "item")
        #expect(entry["entityId"] == "one")
        #expect(entry["peer"] == ["uid": 1000, "gid": 1000, "pid": 4242])
        #expect(entry["requestId"] == "1")
        #expect(entry["change"] == ["status": "ACTIVE"])
        #expect(entry["prevHash"]?.stringValue == JournalHead.genesisHash)
        let at = try #require(entry["at"]?.stringValue)
        #expect(at >= before && at <= UTCTimestamp.now())
    }
}

/// Edits made behind the store's back through a separate sqlite3 connection.
@Suite("Journal tamper detection")
struct JournalTamperTests: TemporaryStoreSuite {
    /// Each test's own ten entries, and a raw connection with the append-only triggers dropped.
    let temporary: TemporaryStore
    let raw: SQLiteFile

    init() async throws {
        temporary = try TemporaryStore()
        for index in 1...10 {
            try await temporary.store.write {
                $0.journal(draft("e\(index)", requestId: index % 3 == 0 ? nil : "\(index)"))
            }
        }
        raw = try SQLiteFile(temporary.path, readOnly: false)
        try raw.dropJournalGuards()
    }

    private func verify(_ store: Store) throws -> JournalVerification {
        try store.read { try $0.journalVerify() }
    }

    @Test(arguments: [
        "at = '2020-01-01T00:00:00.000Z'", "method = 'client.forged'", "entity_type = 'other'",
        "entity_id = 'e99'", "peer_uid = 0", "peer_gid = 0", "peer_pid = 1", "request_id = '5 '",
        "request_id = NULL", "change = '{\"n\":2}'", "change = '{ \"n\":1}'",
        "prev_hash = '\(String(repeating: "1", count: 64))'", "hash = upper(hash)",
        "hash = '\(String(repeating: "a", count: 64))'",
    ])
    func editedColumnIsNamed(assignment: String) async throws {
        #expect(try verify(store).ok)
        try raw.execute("UPDATE journal SET \(assignment) WHERE seq = 5")
        let result = try verify(store)
        #expect(!result.ok)
        #expect(result.firstBadSeq == 5)
        #expect(result.entries == 10)
    }

    @Test(arguments: [(1, 1), (5, 5), (10, 10)])
    func deletedRowIsNamed(deleted: Int, expectedBad: Int) async throws {
        try raw.execute("DELETE FROM journal WHERE seq = \(deleted)")
        let result = try verify(store)
        #expect(!result.ok)
        #expect(result.firstBadSeq == expectedBad)
        #expect(result.entries == 9)
    }

    @Test func swappedRowsAreNamed() async throws {
        // Swap the contents of rows 3 and 4, keeping their seqs.
        let columns =
            "at, method, entity_type, entity_id, peer_uid, peer_gid, peer_pid, request_id, change, prev_hash, hash"
        try raw.execute(
            """
            CREATE TEMP TABLE saved AS SELECT * FROM journal WHERE seq IN (3, 4);
            UPDATE journal SET (\(columns)) = (SELECT \(columns) FROM saved WHERE saved.seq = 7 - journal.seq)
            WHERE seq IN (3, 4);
            """)
        let result = try verify(store)
        #expect(!result.ok)
        #expect(result.firstBadSeq == 3)
    }

    @Test func renumberedRowsAreNamed() async throws {
        // Reorder by swapping the seq values themselves.
        try raw.execute(
            "UPDATE journal SET seq = -6 WHERE seq = 6; UPDATE journal SET seq = 6 WHERE seq = 7; UPDATE journal SET seq = 7 WHERE seq = -6;"
        )
        let result = try verify(store)
        #expect(!result.ok)
        #expect(result.firstBadSeq == 6)
    }

    @Test func insertedRowIsNamed() async throws {
        // Make room at seq 6 and put a row there that links to row 5.
        for seq in stride(from: 10, through: 6, by: -1) {
            try raw.execute("UPDATE journal SET seq = \(seq + 1) WHERE seq = \(seq)")
        }
        try raw.execute(
            """
            INSERT INTO journal SELECT 6, at, method, entity_type, 'intruder', peer_uid, peer_gid, peer_pid,
                request_id, change, hash, hash FROM journal WHERE seq = 5
            """)
        let result = try verify(store)
        #expect(!result.ok)
        #expect(result.firstBadSeq == 6)
        #expect(result.entries == 11)
    }

    /// A forger who recomputes hashes correctly can append a valid-looking entry; the head the
    /// writer stores with every commit still tells.
    @Test func forgedAppendWithValidHashIsNamed() async throws {
        let last = try #require(try store.read { try $0.journalList(afterSeq: 9) }.entries.first?.json)
        var forged = try #require(last.objectValue)
        forged["hash"] = nil
        forged["seq"] = 11
        forged["entityId"] = "forged"
        forged["prevHash"] = last["hash"]
        let hash = SHA256Digest.hex(JSONValue.object(forged).canonicalBytes())
        try raw.execute(
            """
            INSERT INTO journal SELECT 11, at, method, entity_type, 'forged', peer_uid, peer_gid, peer_pid,
                request_id, change, hash, '\(hash)' FROM journal WHERE seq = 10
            """)
        let result = try verify(store)
        #expect(!result.ok)
        #expect(result.firstBadSeq == 11)
    }

    @Test func untouchedJournalStaysValidAcrossReopen() async throws {
        store.close()
        let reopened = try openStore(temporary.path)
        defer { reopened.close() }
        try await reopened.write { $0.journal(draft("after-reopen")) }
        let result = try reopened.read { try $0.journalVerify() }
        #expect(result.ok && result.entries == 11)
    }
}
