import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// Each test's own directory (Swift Testing makes a suite value per test); its database at `path`.
    let directory: TemporaryDirectory
    var path: String { directory.file("db.sqlite3") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "gateway-store-test")
    }

    @Test func freshDatabaseGetsEverySchemaStep() throws {
        let store = try openStore(path)
        defer { store.close() }
        let tables = try store.read { connection in
            try connection.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map {
                try $0.string(0)
            }
        }
        #expect(tables.contains("journal"))
        #expect(tables.contains("outbox"))
        #expect(tables.contains("store_meta"))
        #expect(tables.contains("items"))
        let version = try store.read { try $0.query("PRAGMA user_version")[0].int(0) }
        #expect(version == 4)
        let pragmas = try SQLiteFile(path).column("PRAGMA journal_mode")
        #expect(pragmas == ["wal"])
    }

    @Test func newerSchemaIsRefusedAndLeftUntouched() throws {
        try openStore(path).close()
        do {
            _ = try Store.open(path: path, migrations: testSchema(through: 2), logger: testLogger)
            Issue.record("opening a newer schema succeeded")
        } catch {
            #expect(error.code == .newerSchema(found: 4, supported: 2))
        }
        #expect(try SQLiteFile(path).column("PRAGMA user_version") == ["4"])
    }

    @Test func reopeningAppliesOnlyNewSteps() async throws {
        let first = try openStore(path, through: 2)
        try await first.write { _ = try $0.execute("INSERT INTO items (id) VALUES ('kept')") }
        first.close()
        let second = try openStore(path)
        defer { second.close() }
        let version = try second.read { try $0.query("PRAGMA user_version")[0].int(0) }
        #expect(version == 4)
        #expect(try second.read { try $0.query("SELECT id FROM items")[0].string(0) } == "kept")
    }

    /// Rows queued before version 3 held whole envelopes and a text due time; after it they hold
    /// the payload delivery wraps, the event id IDA saw, and the due time in milliseconds.
    @Test func versionThreeTurnsQueuedEnvelopesIntoMessages() async throws {
        try openStore(path, through: 2).close()
        let raw = try SQLiteFile(path, readOnly: false)
        try raw.execute(
            """
            INSERT INTO outbox (target, topic, ordering_key, body, status, attempts, created_at, next_attempt_at)
            VALUES ('esignet', 'OIDC_CLIENT_UPDATED', 'c1',
                    '{"method":"PUT","path":"/v1/esignet/client-mgmt/oidc-client/c1","body":{"requestTime":"x","request":{"status":"ACTIVE"}}}',
                    'pending', 2, '2026-11-24T10:00:00.000Z', '2026-11-24T10:00:01.250Z'),
                   ('ida', 'OIDC_CLIENT_UPDATED', 'c1',
                    '{"publisher":"p","topic":"OIDC_CLIENT_UPDATED","publishedOn":"t","event":{"id":"ev-1","transactionId":"tx","data":{"clientData":{"clientId":"c1"}}}}',
                    'delivered', 1, '2026-11-24T10:00:00.000Z', NULL);
            """)
        let store = try openStore(path)
        defer { store.close() }
        let rows = try store.read {
            try $0.query("SELECT body, message_id, next_attempt_ms, attempts, status FROM outbox ORDER BY seq")
        }
        try #require(rows.count == 2)
        #expect(try JSONValue.parse(rows[0].string(0)) == ["status": "ACTIVE"])
        #expect(try rows[0].optionalInt(2) == 1_795_514_401_250)
        #expect(try rows[0].int(3) == 2)
        #expect(try JSONValue.parse(rows[1].string(0)) == ["clientData": ["clientId": "c1"]])
        #expect(try rows[1].string(1) == "ev-1")
        #expect(try rows[1].optionalInt(2) == nil)
        #expect(try rows[1].string(4) == "delivered")
    }

    @Test func failingStepLeavesDatabaseAtItsVersion() throws {
        try openStore(path, through: 1).close()
        let broken = Migration(version: 2, sql: "CREATE TABLE half_done (x INTEGER); CREATE TABLE broken (")
        #expect(throws: StoreError.self) {
            try Store.open(path: path, migrations: testSchema(through: 1) + [broken], logger: testLogger)
        }
        let raw = try SQLiteFile(path)
        #expect(try raw.column("PRAGMA user_version") == ["1"])
        #expect(try raw.column("SELECT name FROM sqlite_schema WHERE name = 'half_done'").isEmpty)
    }

    @Test func migrationsMustStartWithTheStoreOnesAndBeNumbered() throws {
        let gap = testSchema(through: 1) + [Migration(version: 3, sql: "SELECT 1")]
        #expect(throws: StoreError.self) {
            try Store.open(path: directory.file("a.sqlite3"), migrations: gap, logger: testLogger)
        }
        #expect(throws: StoreError.self) {
            try Store.open(
                path: directory.file("b.sqlite3"), migrations: [Migration(version: 2, sql: itemsTable)],
                logger: testLogger)
        }
    }

    @Test func pragmasAreSetOnTheWriter() async throws {
        let store = try openStore(path)
        defer { store.close() }
        let values = try await store.write { transaction in
            [
                try transaction.query("PRAGMA synchronous")[0].int(0),
                try transaction.query("PRAGMA foreign_keys")[0].int(0),
            ]
        }
        #expect(values == [2, 1])  // FULL, ON
    }
}
