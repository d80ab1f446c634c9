import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// Issue 9.1 against a real daemon: `license.exportProperties` and `system.backup` write only
/// where SPEC 4.1 and 4.5 allow, and an attempt on the daemon's own files changes nothing.
@Suite(.tags(.process)) struct PathConfinementTests {
    /// A daemon with eSignet's MISP partner and a license, ready to export.
    static func daemonWithLicense(overrides: [String: JSONValue] = [:]) throws -> (TestDaemon, RPCClient) {
        let daemon = try TestDaemon(overrides: overrides)
        let client = try daemon.client()
        try LicenseFlowTests.seed(client)
        _ = try client.call("license.generate", ["mispId": "esignet"])
        return (daemon, client)
    }

    static func export(_ client: RPCClient, _ path: String) throws -> JSONValue {
        try client.request("license.exportProperties", ["mispId": "esignet", "path": .string(path)])
    }

    static func expectInvalidPath(_ reply: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.rpcErrorCode == -32602, "\(reply.serialized())", sourceLocation: sourceLocation)
        #expect(reply.rpcErrorName == "GW_INVALID_PATH", "\(reply.serialized())", sourceLocation: sourceLocation)
    }

    /// The attack: export onto the database, 700 acknowledged writes, kill -9. Before, all 700
    /// were lost and the file was corrupt; now the export is refused and nothing is lost.
    @Test func exportOntoTheDatabaseIsRefusedAndNoAcknowledgedWriteIsLost() throws {
        let (daemon, client) = try Self.daemonWithLicense()
        for path in [
            daemon.databasePath, daemon.databasePath + "-wal", daemon.databasePath + "-shm", daemon.socketPath,
            daemon.configPath,
        ] {
            Self.expectInvalidPath(try Self.export(client, path))
        }
        for index in 0..<700 {
            _ = try client.call("partner.put", Fixtures.partner("after-\(index)"))
        }
        daemon.signal(SIGKILL)
        _ = try daemon.waitForExit()
        #expect(try SQLiteFile(daemon.databasePath).integrityCheck() == "ok")

        let restarted = try TestDaemon(directory: daemon.scratch)
        let again = try restarted.client()
        for index in 0..<700 {
            #expect(try again.call("partner.get", ["partnerId": .string("after-\(index)")])["status"] == "ACTIVE")
        }
        #expect(try again.call("journal.verify")["ok"] == true)
        // The socket still is a socket: new connections are answered.
        #expect(try restarted.client().call("system.health")["status"] == "ok")
    }

    @Test func exportOutsideTheDirectoryThroughLinksDevicesAndFIFOsIsRefused() throws {
        let (daemon, client) = try Self.daemonWithLicense()
        let outside = try TemporaryDirectory()
        try "a=1\n".write(toFile: "\(outside)/target.properties", atomically: true, encoding: .utf8)

        // Outside: the same answer whether or not the file exists.
        let existing = try Self.export(client, "\(outside)/target.properties")
        let missing = try Self.export(client, "\(outside)/missing.properties")
        Self.expectInvalidPath(existing)
        Self.expectInvalidPath(missing)
        #expect(existing["error"] == missing["error"])
        Self.expectInvalidPath(try Self.export(client, "/etc/pms-gateway-attack.properties"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/pms-gateway-attack.properties"))
        Self.expectInvalidPath(try Self.export(client, "\(daemon.directory)/../x.properties"))

        // A link inside the directory, to a file outside.
        #expect(symlink("\(outside)/target.properties", "\(daemon.directory)/link.properties") == 0)
        Self.expectInvalidPath(try Self.export(client, "\(daemon.directory)/link.properties"))
        #expect(try String(contentsOfFile: "\(outside)/target.properties", encoding: .utf8) == "a=1\n")

        // /dev/zero was read without end (1.5 GB in 2 s); a FIFO blocked every later license call.
        Self.expectInvalidPath(try Self.export(client, "/dev/zero"))
        #expect(mkfifo("\(daemon.directory)/fifo.properties", 0o600) == 0)
        Self.expectInvalidPath(try Self.export(client, "\(daemon.directory)/fifo.properties"))
        #expect(try client.call("license.get", ["mispId": "esignet"])["licenseKeyStatus"] == "Active")
        let rss = try String(contentsOfFile: "/proc/\(daemon.process.processIdentifier)/status", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        let kilobytes = Int(rss?.split(separator: " ").dropFirst().first ?? "") ?? .max
        #expect(kilobytes < 200_000, "RSS after the /dev/zero attempt: \(rss ?? "?")")

        // Inside the directory, a new file is fine.
        let inside = try client.call(
            "license.exportProperties", ["mispId": "esignet", "path": .string("\(daemon.directory)/copy.properties")])
        #expect(inside["changed"] == true)
    }

    @Test func backupIsConfinedToTheBackupDirectoryAndNeverOverwrites() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("partner.put", Fixtures.partner("p1"))
        let backups = "\(daemon.directory)/backups"
        // The socket attack: before, the socket became a SQLite file and every connection was refused.
        for path in [
            daemon.socketPath, daemon.databasePath, daemon.databasePath + "-wal", daemon.configPath,
            "\(daemon.directory)/elsewhere.sqlite3", "../escape.sqlite3", "sub/name.sqlite3", "/tmp/backup.sqlite3",
            ".", "..",
        ] {
            Self.expectInvalidPath(try client.request("system.backup", ["path": .string(path)]))
        }
        #expect(try daemon.client().call("system.health")["status"] == "ok")
        #expect(!FileManager.default.fileExists(atPath: "\(daemon.directory)/elsewhere.sqlite3"))

        let first = try client.call("system.backup", ["path": "one.sqlite3"])
        #expect(first["path"]?.stringValue == "\(backups)/one.sqlite3")
        let absolute = try client.call("system.backup", ["path": .string("\(backups)/two.sqlite3")])
        #expect(absolute["path"]?.stringValue == "\(backups)/two.sqlite3")
        // An existing name, or a link placed there, is never written.
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(backups)/one.sqlite3"))
        Self.expectInvalidPath(try client.request("system.backup", ["path": "one.sqlite3"]))
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(backups)/one.sqlite3")) == before)
        #expect(symlink(daemon.databasePath, "\(backups)/link.sqlite3") == 0)
        Self.expectInvalidPath(try client.request("system.backup", ["path": "link.sqlite3"]))
        #expect(try SQLiteFile(daemon.databasePath).integrityCheck() == "ok")
        let names = try FileManager.default.contentsOfDirectory(atPath: backups).sorted()
        #expect(names == ["link.sqlite3", "one.sqlite3", "two.sqlite3"], "no temporary file is left")
    }
}
