import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Logging
import PostgresTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A store on `db.sqlite3` in a temporary directory of its own. A suite keeps one as a stored
/// property, so each test gets a fresh one (Swift Testing makes a suite value per test); the
/// store is closed before the directory is removed.
final class TemporaryStore: Sendable {
    let directory: TemporaryDirectory
    let store: Store
    /// The PostgreSQL database the store runs on, nil on SQLite; dropped with this value.
    let postgres: TemporaryPostgresDatabase?
    var path: String { directory.file("db.sqlite3") }

    /// On `engine`: SQLite in the directory, or a new database on the test server (SPEC 9).
    init(_ engine: TestStore = .sqlite) throws {
        directory = try TemporaryDirectory(prefix: "gateway-store-test")
        switch engine {
        case .sqlite:
            postgres = nil
            store = try openStore(directory.file("db.sqlite3"))
        case .postgresql:
            let database = try TemporaryPostgresDatabase.createNow()
            postgres = database
            store = try openPostgresStore(database)
        }
    }

    /// Another store on the same database (a restart, or a second daemon's).
    func reopen() throws -> Store {
        try postgres.map(openPostgresStore) ?? openStore(path)
    }

    deinit {
        store.close()
        try? postgres?.dropNow()
    }
}

/// The PostgreSQL schema with `items` as the domain table, as `testSchema` is for SQLite.
let postgresTestSchema = Migration.numbered([
    PostgresSchema.store + ";\nCREATE TABLE items (id TEXT PRIMARY KEY NOT NULL, payload BYTEA)"
])

func openPostgresStore(_ database: TemporaryPostgresDatabase) throws -> Store {
    try Store.open(
        postgres: PostgresLocation(url: database.url), password: database.server.password,
        migrations: postgresTestSchema, logger: testLogger)
}

/// A suite whose tests each work on a ``TemporaryStore`` of their own.
protocol TemporaryStoreSuite {
    var temporary: TemporaryStore { get }
}

extension TemporaryStoreSuite {
    var store: Store { temporary.store }
    var directory: TemporaryDirectory { temporary.directory }
}

/// A logger that drops everything unless `TEST_LOG` is set.
let testLogger: Logger = {
    var logger = Logger(label: "store-test")
    logger.logLevel = getenv("TEST_LOG") == nil ? .critical : .trace
    return logger
}()

/// A domain table the tests write to, as the daemon's migration 2 adds its own.
let itemsTable = "CREATE TABLE items (id TEXT PRIMARY KEY NOT NULL, payload BLOB) STRICT;"

/// The schema with `items` as the domain step; `through` stops at an earlier version.
func testSchema(through version: Int = 4) -> [Migration] {
    let steps = Migration.storeSteps
    return Array(Migration.numbered([steps[0], itemsTable, steps[1], steps[2]]).prefix(version))
}

func openStore(_ path: String, through version: Int = 4) throws -> Store {
    try Store.open(path: path, migrations: testSchema(through: version), logger: testLogger)
}

/// A message for the outbox tests; only the key and payload matter to the store.
func message(_ key: String, payload: JSONObject = [:], target: OutboxMessage.Target = .ida) -> OutboxMessage {
    OutboxMessage(target: target, topic: .oidcClientCreated, key: key, payload: payload)
}

func draft(_ entityId: String, method: String = "test.put", change: JSONValue = ["n": 1], requestId: String? = "1")
    -> JournalDraft
{
    JournalDraft(
        method: method, entityType: "item", entityId: entityId, peer: Peer(uid: 1000, gid: 1000, pid: 4242),
        requestId: requestId, change: change)
}

extension SQLiteFile {
    /// Removes the append-only triggers, as anyone with write access to the file can.
    func dropJournalGuards() throws {
        try execute("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;")
    }
}

/// Runs a shell command line; its exit status (-1 when it could not be run or timed out).
@discardableResult
func shell(_ command: String) -> Int32 {
    (try? ShellCommand.sh(command))?.status ?? -1
}
