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
        #expect(version == 2)
        let pragmas = try SQLiteFile(path).column("PRAGMA journal_mode")
        #expect(pragmas == ["wal"])
    }

    @Test func newerSchemaIsRefusedAndLeftUntouched() throws {
        try openStore(path).close()
        do {
            _ = try Store.open(path: path, migrations: Migration.storeMigrations, logger: testLogger)
            Issue.record("opening a newer schema succeeded")
        } catch {
            #expect(error.code == .newerSchema(found: 2, supported: 1))
        }
        #expect(try SQLiteFile(path).column("PRAGMA user_version") == ["2"])
    }

    @Test func reopeningAppliesOnlyNewSteps() throws {
        let first = try openStore(path, items: false)
        _ = try first.read { try $0.query("SELECT 1") }
        first.close()
        let second = try openStore(path, items: true)
        defer { second.close() }
        let version = try second.read { try $0.query("PRAGMA user_version")[0].int(0) }
        #expect(version == 2)
    }

    @Test func failingStepLeavesDatabaseAtItsVersion() throws {
        try openStore(path, items: false).close()
        let broken = Migration(version: 2, sql: "CREATE TABLE half_done (x INTEGER); CREATE TABLE broken (")
        #expect(throws: StoreError.self) {
            try Store.open(path: path, migrations: Migration.storeMigrations + [broken], logger: testLogger)
        }
        let raw = try SQLiteFile(path)
        #expect(try raw.column("PRAGMA user_version") == ["1"])
        #expect(try raw.column("SELECT name FROM sqlite_schema WHERE name = 'half_done'").isEmpty)
    }

    @Test func migrationsMustStartWithTheStoreOnesAndBeNumbered() throws {
        let gap = Migration.storeMigrations + [Migration(version: 3, sql: "SELECT 1")]
        #expect(throws: StoreError.self) {
            try Store.open(path: directory.file("a.sqlite3"), migrations: gap, logger: testLogger)
        }
        #expect(throws: StoreError.self) {
            try Store.open(path: directory.file("b.sqlite3"), migrations: [itemsMigration], logger: testLogger)
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
