import GatewayStore
import Testing

/// SPEC 2: stored text is bound with its byte length. With a length of -1 SQLite stops at the
/// first NUL, so `victim\u{0}A` and `victim\u{0}B` were both stored as `victim`, the second
/// overwriting the first, while the journal kept the whole strings.
@Suite struct TextBindingTests: TemporaryStoreSuite {
    /// Each test's own store: Swift Testing makes a suite value per test.
    let temporary: TemporaryStore
    init() throws { temporary = try TemporaryStore() }

    @Test func textWithANULIsStoredWhole() async throws {
        let ids = ["victim\u{0}A", "victim\u{0}B", "victim", "\u{0}", "ü\u{0}ü"]
        try await store.write { transaction in
            for id in ids {
                _ = try transaction.execute("INSERT INTO items (id) VALUES (?)", [.text(id)])
            }
        }
        let stored = try store.read { connection in
            try connection.query("SELECT id, length(CAST(id AS BLOB)) FROM items ORDER BY rowid").map {
                (try $0.string(0), try $0.int(1))
            }
        }
        #expect(stored.map(\.0) == ids)
        #expect(stored.map(\.1) == ids.map(\.utf8.count))
        let found = try store.read { connection in
            try connection.query("SELECT count(*) FROM items WHERE id = ?", [.text("victim\u{0}A")]).first?.int(0)
        }
        #expect(found == 1)
    }
}
