import Foundation
import GatewayJSON
import GatewayTestSupport
import PostgresTestSupport

/// A real pms-gatewayd process on a real socket and SQLite file in a temporary directory.
final class TestDaemon {
    /// The daemon's directory: shared with a daemon started on the same files later, removed
    /// when the last of them is gone.
    let scratch: TemporaryDirectory
    var directory: String { scratch.path }
    let socketPath: String
    let databasePath: String
    let configPath: String
    /// The PostgreSQL database this daemon runs on (SPEC 9), nil on SQLite; dropped with the daemon
    /// unless it was handed in (shared with other daemons).
    let postgres: TemporaryPostgresDatabase?
    private let ownsPostgres: Bool
    /// The daemon (or its launcher, which execs it and keeps the pid). See ``ChildProcess`` for
    /// why this is not Foundation's `Process`.
    let process: ChildProcess
    /// stderr goes to a file, not a pipe: a chatty daemon can never block on a full pipe buffer.
    let stderrPath: String

    /// Starts a daemon with the default config, `overrides` merged section by section.
    ///
    /// `launcher` runs the daemon through another program (e.g. `systemd-socket-activate -l PATH`):
    /// its first element is the executable, the daemon's path and arguments follow the rest.
    ///
    /// `store`: the backend. On PostgreSQL the daemon gets a new database on the test server, or
    /// `sharing` one (several daemons on one database).
    init(
        overrides: [String: JSONValue] = [:], arguments: [String] = [], environment: [String: String] = [:],
        directory: TemporaryDirectory? = nil, launcher: [String] = [], wait: Bool = true,
        store: TestStore = .sqlite, sharing: TemporaryPostgresDatabase? = nil
    ) throws {
        scratch = try directory ?? TemporaryDirectory()
        socketPath = scratch.file("gw.sock")
        databasePath = scratch.file("gw.sqlite3")
        configPath = scratch.file("pms-gateway.json")
        stderrPath = scratch.file("daemon.stderr")
        var overrides = overrides
        if store == .postgresql || sharing != nil {
            let database = try sharing ?? TemporaryPostgresDatabase.createNow()
            postgres = database
            ownsPostgres = sharing == nil
            var section: JSONObject = [
                "url": .string(database.url), "passwordFile": .string(database.server.passwordFile),
            ]
            if case .object(let given)? = overrides["database"] {
                for (key, value) in given { section[key] = value }
            }
            overrides["database"] = .object(section)
        } else {
            postgres = nil
            ownsPostgres = false
        }
        try Self.writeConfig(
            to: configPath, socket: socketPath, database: databasePath, directory: scratch.path, overrides: overrides)
        let daemonArguments = ["--config", configPath, "--log-level", "debug"] + arguments
        let command =
            launcher.isEmpty ? [TestPaths.daemon] + daemonArguments : launcher + [TestPaths.daemon] + daemonArguments
        process = try ChildProcess(
            executable: command[0], arguments: Array(command.dropFirst()),
            environment: ChildProcess.environment(environment),
            stderr: .file(stderrPath)
        )
        if wait { try waitUntilReady() }
    }

    static func writeConfig(
        to path: String, socket: String, database: String, directory: String, overrides: [String: JSONValue]
    ) throws {
        let mappings = TestPaths.configDirectory
        var config: JSONObject = [
            "server": [
                "socketPath": .string(socket), "socketMode": "0660", "maxRequestBytes": 1_048_576, "maxBatch": 100,
                "maxConnections": 1024, "idleTimeoutSeconds": 300, "shutdownGraceSeconds": 10,
            ],
            "database": ["path": .string(database)],
            "mappings": [
                "identity": .string("\(mappings)/identity-mapping.json"),
                "amrAcr": .string("\(mappings)/amr-acr-mapping.json"),
                "openidConfiguration": .string("\(mappings)/openid-configuration.json"),
            ],
            "clients": [
                "minRsaBits": 2048, "grantTypes": ["authorization_code"], "clientAuthMethods": ["private_key_jwt"],
            ],
            "license": ["length": 50, "validityDays": 90],
            "esignet": [
                "propertiesFile": .string("\(directory)/esignet-default.properties"), "baseURL": nil,
                "bearerTokenFile": nil,
            ],
            "ida": ["websubHubURL": nil],
            "access": ["rules": []],
            "log": ["level": "debug"],
        ]
        for (section, value) in overrides {
            guard case .object(let members) = value, case .object(var merged)? = config[section] else {
                config[section] = value
                continue
            }
            for (key, member) in members { merged[key] = member }
            config[section] = .object(merged)
        }
        try JSONValue.object(config).serialized().write(toFile: path, atomically: true, encoding: .utf8)
    }

    func waitUntilReady(timeout: Duration = .seconds(20)) throws {
        let ready = try Poll.until(timeout: timeout) {
            guard process.isRunning else {
                throw TestFailure("daemon exited \(process.terminationStatus): \(stderr())")
            }
            return (try? RPCClient(path: socketPath).call("system.health")) != nil
        }
        guard ready else { throw TestFailure("daemon not ready: \(stderr())") }
    }

    /// A new connection; it keeps this daemon running as long as it is used, so a test may
    /// write `let client = try TestDaemon().client()`.
    func client() throws -> RPCClient {
        try RPCClient(path: socketPath, owner: self)
    }

    func signal(_ signal: Int32) {
        process.signal(signal)
    }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(20)) throws -> Int32 {
        guard process.waitForExit(timeout: timeout) else { throw TestFailure("daemon did not exit") }
        return process.terminationStatus
    }

    /// Everything the daemon wrote to stderr so far (complete once it exited).
    func stderr() -> String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    func stop() {
        process.killAndReap()
    }

    deinit {
        stop()
        if ownsPostgres { try? postgres?.dropNow() }
    }
}

extension TestDaemon {
    /// The daemon's threads as the kernel lists them: each one's name (`comm`, at most 15 bytes,
    /// without its newline) and its `/proc` task directory.
    func threads() throws -> [(name: String, task: String)] {
        let tasks = "/proc/\(process.processIdentifier)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).map { id in
            let name = try String(contentsOfFile: "\(tasks)/\(id)/comm", encoding: .utf8)
            return (String(name.dropLast(name.hasSuffix("\n") ? 1 : 0)), "\(tasks)/\(id)")
        }
    }
}
