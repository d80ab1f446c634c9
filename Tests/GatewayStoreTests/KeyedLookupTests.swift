import GatewayStore
import PostgresTestSupport
import Testing

/// The hot lookups by key (`client.get`): on PostgreSQL the keys of concurrent callers share a
/// statement, each caller still gets the row of its own key, and every acknowledged write is seen.
@Suite struct KeyedLookupTests {
    static let payload = KeyedRead(columns: "payload", from: "items", key: "id")

    /// The payload of `id` through the non-blocking lookup; nil when there is no such row.
    func payload(_ store: Store, _ id: String) async throws -> [UInt8]? {
        try await store.lookup(Self.payload, key: id, cachedAs: "item:" + id) { row in try row?.blob(0) }
    }

    func put(_ store: Store, _ id: String, _ bytes: [UInt8]) async throws {
        try await store.write { transaction in
            try transaction.execute("DELETE FROM items WHERE id = ?", [SQLValue(id)])
            try transaction.execute("INSERT INTO items (id, payload) VALUES (?, ?)", [SQLValue(id), .blob(bytes)])
        }
    }

    @Test(arguments: TestStore.allCases) func concurrentLookupsEachGetTheirOwnRow(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        let store = temporary.store
        for index in 0..<40 { try await put(store, "k\(index)", [UInt8(index)]) }
        // 400 lookups at once, known keys and unknown ones, each key asked by several callers.
        let answers = try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for call in 0..<400 {
                group.addTask { (call, try await payload(store, "k\(call % 50)")) }
            }
            return try await group.reduce(into: [Int: [UInt8]?]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 400)
        for (call, answer) in answers {
            let index = call % 50
            #expect(answer == (index < 40 ? [UInt8(index)] : nil), "call \(call) for k\(index)")
        }
        if let counted = store.lookupStatistics {
            // Keys that waited together went in one statement: far fewer statements than lookups.
            #expect(counted.lookups == 400)
            #expect(counted.statements >= 1 && counted.statements < counted.lookups / 2, "\(counted)")
        }
        #expect(
            try await payload(store, "k7")
                == store.read(Self.payload, key: "k7", cachedAs: "item:k7") { try $0?.blob(0) })
    }

    /// A lookup after an acknowledged write sees it, whichever store (daemon) wrote it, also when
    /// the same key was looked up before (the decoded answer of the old row is not served again).
    @Test(arguments: TestStore.allCases) func aLookupSeesEveryAcknowledgedWrite(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        // A second daemon's store: only PostgreSQL is shared by several.
        let other = engine == .postgresql ? try temporary.reopen() : nil
        defer { other?.close() }
        let writers = [temporary.store] + (other.map { [$0] } ?? [])
        #expect(try await payload(temporary.store, "a") == nil)
        for round in 0..<6 {
            try await put(writers[round % writers.count], "a", [UInt8(round)])
            #expect(try await payload(temporary.store, "a") == [UInt8(round)], "round \(round)")
        }
        if let other {
            try await other.write { transaction in try transaction.execute("DELETE FROM items WHERE id = 'a'") }
            #expect(try await payload(temporary.store, "a") == nil, "the other store's delete is seen")
        }
    }

    @Test(arguments: TestStore.allCases) func aClosedStoreRefusesLookups(_ engine: TestStore) async throws {
        let temporary = try TemporaryStore(engine)
        try await put(temporary.store, "a", [1])
        #expect(try await payload(temporary.store, "a") == [1])
        temporary.store.close()
        await #expect(throws: StoreError.self) { try await payload(temporary.store, "a") }
    }
}
