import CSQLite
import GatewayJSON
import GatewayStore
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under /tmp, removed (with everything in it) when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/gateway-store-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    deinit {
        _ = system("rm -rf '\(path)'")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A logger that drops everything unless `STORE_TEST_LOG` is set.
let testLogger: Logger = {
    var logger = Logger(label: "store-test")
    logger.logLevel = getenv("STORE_TEST_LOG") == nil ? .critical : .trace
    return logger
}()

/// A domain table the tests write to, as the daemon's migration 2 adds its own.
let itemsTable = "CREATE TABLE items (id TEXT PRIMARY KEY NOT NULL, payload BLOB) STRICT;"

/// The schema with `items` as the domain step; `through` stops at an earlier version.
func testSchema(through version: Int = 3) -> [Migration] {
    Array(Migration.schema(domain: itemsTable).prefix(version))
}

func openStore(_ path: String, through version: Int = 3) throws -> Store {
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

/// A plain sqlite3 connection of its own, the way an intruder or a second tool would open the file.
final class RawDatabase {
    let handle: OpaquePointer

    init(_ path: String) throws {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            throw TestFailure("cannot open \(path)")
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit { sqlite3_close(handle) }

    func exec(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard result == SQLITE_OK else {
            throw TestFailure("\(sql): \(message.map { String(cString: $0) } ?? "error \(result)")")
        }
    }

    /// The first column of every row, as text.
    func column(_ sql: String) throws -> [String] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw TestFailure("prepare \(sql): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        var values: [String] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            values.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "NULL")
        }
        return values
    }

    /// Removes the append-only triggers, as anyone with write access to the file can.
    func dropJournalGuards() throws {
        try exec("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;")
    }
}

/// Runs a shell command; its exit status.
@discardableResult
func shell(_ command: String) -> Int32 {
    let status = system(command)
    return (status >> 8) & 0xFF
}

func sleepMilliseconds(_ milliseconds: Int) {
    usleep(UInt32(milliseconds * 1000))
}
