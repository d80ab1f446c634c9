import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport
import Testing

/// SPEC 9's start-up rules for a PostgreSQL store: what only an operator can fix (a refused login,
/// a missing database, a URL that holds a password) stops the start with exit 78; a server that is
/// not there yet does not: the daemon starts, answers -32011 for every call that needs the
/// database, and health says `unavailable`.
@Suite(.tags(.process)) struct PostgresStartTests {
    static func database(_ url: String, passwordFile: String) -> [String: JSONValue] {
        ["database": ["url": .string(url), "passwordFile": .string(passwordFile)]]
    }

    @Test func aRefusedLoginIsAConfigurationError() throws {
        let server = try PostgresTestServer.fromEnvironment()
        let directory = try TemporaryDirectory()
        try directory.write("wrong-password", "not-the-password\n")
        let config = try CommandLineTests.writeConfig(
            in: directory, overrides: Self.database(server.url(), passwordFile: directory.file("wrong-password")))
        CommandLineTests.expectRefused(try ShellCommand.daemon(["--config", config]), mentioning: "SQLSTATE 28P01")
        #expect(!FileManager.default.fileExists(atPath: directory.file("gw.sock")))
    }

    @Test func aMissingDatabaseIsAConfigurationError() throws {
        let server = try PostgresTestServer.fromEnvironment()
        let directory = try TemporaryDirectory()
        let config = try CommandLineTests.writeConfig(
            in: directory,
            overrides: Self.database(server.url(database: "pgw_no_such_database"), passwordFile: server.passwordFile))
        CommandLineTests.expectRefused(try ShellCommand.daemon(["--config", config]), mentioning: "SQLSTATE 3D000")
    }

    @Test(arguments: [
        "postgresql://user:secret@localhost/db", "postgresql://localhost/db", "postgresql://user@localhost/",
        "postgresql://user@localhost/db?sslmode=sometimes", "mysql://user@localhost/db",
    ])
    func aURLThatCannotBeUsedIsRefused(url: String) throws {
        let directory = try TemporaryDirectory()
        let config = try CommandLineTests.writeConfig(
            in: directory, overrides: Self.database(url, passwordFile: directory.file("password")))
        let output = try ShellCommand.daemon(["--config", config])
        CommandLineTests.expectRefused(output, mentioning: "database.url")
        #expect(!output.stderr.contains("secret"), "a password in the URL is never repeated")
    }

    /// Nobody listens on the socket yet: the daemon still starts and says so through health.
    @Test func anUnreachableServerAtStartIsServedAsUnavailable() throws {
        let directory = try TemporaryDirectory()
        try directory.subdirectory("nothing-here")
        try directory.write("password", "x\n")
        let url = "postgresql://pms_gateway@/pms_gateway?host=\(directory.file("nothing-here"))&port=5432"
        let daemon = try TestDaemon(overrides: Self.database(url, passwordFile: directory.file("password")))
        let client = try daemon.client()
        let health = try client.call("system.health")
        #expect(health["status"] == "unavailable")
        #expect(health["store"] == "postgresql")
        #expect(health["clients"] == .null)
        #expect(health["journalHead"] == .null)
        for (method, params) in [
            ("partner.put", Fixtures.partner("p1")), ("client.get", ["clientId": "x"]), ("journal.verify", nil),
        ] as [(String, JSONValue?)] {
            let error = try client.request(method, params)["error"]
            #expect(error?["code"] == -32011, "\(method)")
            #expect(error?["data"]?["errorCode"] == "GW_UNAVAILABLE", "\(method)")
        }
    }

    @Test func healthNamesTheStoreAndTheNode() throws {
        let sqlite = try TestDaemon(overrides: ["server": ["nodeName": "pms-a"]]).client().call("system.health")
        #expect(sqlite["store"] == "sqlite")
        #expect(sqlite["node"] == "pms-a")
        let postgres = try TestDaemon(store: .postgresql).client().call("system.health")
        #expect(postgres["store"] == "postgresql")
        #expect(postgres["status"] == "ok")
        // Without server.nodeName: the short host name.
        var name = [UInt8](repeating: 0, count: 256)
        name.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = gethostname($0.baseAddress!, 255) }
        }
        let host = String(decoding: name.prefix { $0 != 0 }, as: UTF8.self).split(separator: ".").first.map(String.init)
        #expect(postgres["node"]?.stringValue == host)
    }

    /// A SQLite file backup means nothing for a shared database; the refusal says what to use.
    @Test func systemBackupIsRefusedOnPostgreSQL() throws {
        let daemon = try TestDaemon(store: .postgresql)
        let error = try daemon.client().request("system.backup", ["path": "one.sqlite3"])["error"]
        #expect(error?["code"] == -32003)
        #expect(error?["data"]?["errorCode"] == "GW_UNSUPPORTED")
        #expect(error?["data"]?["message"]?.stringValue?.contains("pg_dump") == true)
        #expect(!FileManager.default.fileExists(atPath: daemon.directory + "/backups/one.sqlite3"))
    }
}
