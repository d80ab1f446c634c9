import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 1: the command line, refused starts (exit 78, one stderr line, nothing on disk), socket
/// files (stale ones replaced, live ones never stolen, mode from the config), overrides.
@Suite(.tags(.process)) struct CommandLineTests {
    static let exConfig: Int32 = 78

    /// A fresh directory holding only `conf/pms-gateway.json` with `text`; the file's default
    /// relative paths (`../var/...`) would land beside `conf/`.
    static func directory(withConfig text: String) throws -> (directory: TemporaryDirectory, config: String) {
        let directory = try TemporaryDirectory()
        try directory.subdirectory("conf")
        try directory.write("conf/pms-gateway.json", text)
        return (directory, directory.file("conf/pms-gateway.json"))
    }

    /// Writes a full test config (socket and database in `directory`) and returns its path.
    static func writeConfig(in directory: TemporaryDirectory, overrides: [String: JSONValue] = [:]) throws -> String {
        let path = directory.file("pms-gateway.json")
        try TestDaemon.writeConfig(
            to: path, socket: directory.file("gw.sock"), database: directory.file("gw.sqlite3"),
            directory: directory.path, overrides: overrides
        )
        return path
    }

    static func expectRefused(_ output: ShellCommand.Output, mentioning text: String? = nil) {
        #expect(output.status == exConfig, "\(output)")
        #expect(output.exitedNormally)
        #expect(output.stderrLines.count == 1, "exactly one line: \(output.stderr)")
        #expect(output.stderr.hasSuffix("\n"))
        if let text { #expect(output.stderr.contains(text), "\(output.stderr)") }
    }

    @Test(arguments: [
        "{bad json", "", "[1, 2]", #"{"server": 5}"#, #"{"server": {"maxBatch": 0}}"#,
        #"{"server": {"socketMode": "rw"}}"#,
    ])
    func badConfigIsRefusedWithNothingCreated(text: String) throws {
        let (directory, config) = try Self.directory(withConfig: text)
        let output = try ShellCommand.daemon(["--config", config])
        Self.expectRefused(output, mentioning: config)
        #expect(subpaths(of: directory.path) == ["conf", "conf/pms-gateway.json"])
    }

    /// A database written by a newer build (higher `user_version`) is refused, and left as it was.
    @Test func newerDatabaseIsRefused() throws {
        let daemon = try TestDaemon()
        let directory = daemon.directory
        _ = try daemon.client().call("partner.put", Fixtures.partner("kept"))
        daemon.signal(SIGTERM)
        _ = try daemon.waitForExit()
        try SQLiteFile("\(directory)/gw.sqlite3", readOnly: false).execute("PRAGMA user_version = 99")
        let output = try ShellCommand.daemon(["--config", daemon.configPath])
        Self.expectRefused(output, mentioning: "gw.sqlite3")
        #expect(try SQLiteFile("\(directory)/gw.sqlite3").column("PRAGMA user_version") == ["99"])
        #expect(try SQLiteFile("\(directory)/gw.sqlite3").column("SELECT partner_id FROM partners") == ["kept"])
    }

    @Test func missingConfigIsRefused() throws {
        let directory = try TemporaryDirectory()
        let output = try ShellCommand.daemon(["--config", "\(directory)/nope.json"])
        Self.expectRefused(output, mentioning: "nope.json")
        #expect(subpaths(of: directory.path).isEmpty)
    }

    @Test(arguments: ["missing", "malformed", "directory"])
    func unreadableMappingFileIsRefused(kind: String) throws {
        let directory = try TemporaryDirectory()
        let mapping = "\(directory)/identity-mapping.json"
        switch kind {
        case "malformed": try "{\"identity\":".write(toFile: mapping, atomically: true, encoding: .utf8)
        case "directory": try FileManager.default.createDirectory(atPath: mapping, withIntermediateDirectories: false)
        default: break
        }
        let config = try Self.writeConfig(in: directory, overrides: ["mappings": ["identity": .string(mapping)]])
        let before = subpaths(of: directory.path)
        let output = try ShellCommand.daemon(["--config", config])
        Self.expectRefused(output, mentioning: "identity-mapping.json")
        #expect(subpaths(of: directory.path) == before)
    }

    @Test func aLiveSocketIsNeverStolen() throws {
        let first = try TestDaemon()
        let other = try TemporaryDirectory()
        let config = try Self.writeConfig(in: other, overrides: ["server": ["socketPath": .string(first.socketPath)]])
        let output = try ShellCommand.daemon(["--config", config])
        Self.expectRefused(output, mentioning: first.socketPath)
        #expect(subpaths(of: other.path) == ["pms-gateway.json"], "no database was created")
        // The first daemon still owns and answers on its socket.
        #expect(try first.client().call("system.health")["status"] == "ok")
        #expect(first.process.isRunning)
    }

    @Test func aStaleSocketFileIsReplaced() throws {
        let directory = try TemporaryDirectory()
        // A socket file nobody listens on: bound, then the descriptor closed without unlinking.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnixSocketAddress("\(directory)/gw.sock") { bind(fd, $0, $1) }
        try #require(bound == 0)
        close(fd)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/gw.sock"))
        let daemon = try TestDaemon(directory: directory)
        #expect(try daemon.client().call("system.health")["status"] == "ok")
    }

    @Test func theSocketOfAKilledDaemonIsReplaced() throws {
        let killed = try TestDaemon()
        killed.stop()  // SIGKILL: no chance to unlink the socket file
        #expect(FileManager.default.fileExists(atPath: killed.socketPath))
        let next = try TestDaemon(directory: killed.scratch)
        #expect(try next.client().call("system.health")["status"] == "ok")
        #expect(try next.client().call("journal.verify")["ok"] == true)
    }

    @Test(arguments: [("0600", 0o600), ("0660", 0o660), ("0666", 0o666), ("0640", 0o640)] as [(String, Int)])
    func socketFileModeComesFromTheConfig(mode: String, expected: Int) throws {
        let daemon = try TestDaemon(overrides: ["server": ["socketMode": .string(mode)]])
        var info = stat()
        try #require(stat(daemon.socketPath, &info) == 0)
        #expect(Int(info.st_mode) & 0o777 == expected)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
    }

    @Test func checkConfigAcceptsAGoodFileWithoutCreatingAnything() throws {
        let directory = try TemporaryDirectory()
        let config = try Self.writeConfig(in: directory)
        let output = try ShellCommand.daemon(["--check-config", "--config", config])
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.contains("ok"))
        #expect(subpaths(of: directory.path) == ["pms-gateway.json"])
    }

    @Test func checkConfigReportsProblemsAndExitsOne() throws {
        let directory = try TemporaryDirectory()
        let badValue = try Self.writeConfig(in: directory, overrides: ["server": ["maxBatch": 0]])
        let output = try ShellCommand.daemon(["--check-config", "--config", badValue])
        #expect(output.status == 1, "\(output)")
        #expect(output.stdout.contains("server.maxBatch"), "\(output)")
        #expect(!output.stdout.contains(": ok"))

        let badMapping = try Self.writeConfig(
            in: directory, overrides: ["mappings": ["amrAcr": .string("\(directory)/gone.json")]])
        let mappingOutput = try ShellCommand.daemon(["--check-config", "--config", badMapping])
        #expect(mappingOutput.status == 1, "\(mappingOutput)")
        #expect(mappingOutput.stdout.contains("gone.json"), "\(mappingOutput)")

        let missing = try ShellCommand.daemon(["--check-config", "--config", "\(directory)/absent.json"])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stdout.contains("absent.json"))
        #expect(subpaths(of: directory.path) == ["pms-gateway.json"])
    }

    @Test func socketAndDatabaseOptionsOverrideTheFile() throws {
        let directory = try TemporaryDirectory()
        let daemon = try TestDaemon(
            arguments: ["--socket", "\(directory)/other.sock", "--database", "\(directory)/other.sqlite3"],
            wait: false
        )
        let client = try RPCClient.connect(to: "\(directory)/other.sock")
        #expect(try client.call("system.health")["status"] == "ok")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/other.sqlite3"))
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
        #expect(!FileManager.default.fileExists(atPath: daemon.databasePath))
    }

    @Test func environmentOverridesTheFile() throws {
        let client = try TestDaemon(environment: ["SERVER_MAXBATCH": "2"]).client()
        let batch = { (count: Int) in
            "[" + (1...count).map { RequestLine.call(id: $0, "system.health") }.joined(separator: ",") + "]\n"
        }
        try client.send(batch(3))
        #expect(try client.readJSON().rpcErrorName == "GW_BATCH_TOO_LARGE")
        try client.send(batch(2))
        #expect(try client.readJSON().arrayValue?.count == 2)
    }

    @Test func socketPathFromTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        let daemon = try TestDaemon(environment: ["SERVER_SOCKETPATH": "\(directory)/env.sock"], wait: false)
        let client = try RPCClient.connect(to: "\(directory)/env.sock")
        #expect(try client.call("system.health")["status"] == "ok")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test func badLogLevelIsRefused() throws {
        let directory = try TemporaryDirectory()
        let config = try Self.writeConfig(in: directory)
        let output = try ShellCommand.daemon(["--config", config, "--log-level", "loud"])
        Self.expectRefused(output, mentioning: "log-level")
        #expect(subpaths(of: directory.path) == ["pms-gateway.json"])
    }
}
