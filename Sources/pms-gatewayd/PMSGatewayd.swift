import ArgumentParser
import GatewayDaemon

/// `pms-gatewayd`: the command line of SPEC 1.
@main
struct PMSGatewayd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pms-gatewayd",
        abstract: "OIDC client registry, MISP licenses and key hashing for MOSIP PMS, over JSON-RPC on a Unix socket.",
        version: Daemon.version
    )

    @Option(help: "The config file.")
    var config = "config/pms-gateway.json"

    @Option(help: "The Unix socket path (overrides server.socketPath).")
    var socket: String?

    @Option(help: "The SQLite database path, or a postgresql:// URL (overrides database.path and database.url).")
    var database: String?

    @Option(help: "trace, debug, info, notice, warning or error (overrides log.level).")
    var logLevel: String?

    @Flag(help: "Validate the config and mapping files, print what is wrong, and exit 0 or 1.")
    var checkConfig = false

    @Option(
        help: ArgumentHelp(
            "Copy this config's SQLite database into the empty PostgreSQL database at URL, verify its journal there, and exit.",
            valueName: "URL"))
    var copyTo: String?

    /// EX_CONFIG from sysexits.h: systemd and operators read it as "fix the configuration".
    static let exConfig: Int32 = 78

    func run() async throws {
        let options = DaemonOptions(configPath: config, socketPath: socket, databasePath: database, logLevel: logLevel)
        if let copyTo {
            do {
                for line in try await Daemon.copy(options, to: copyTo) { print(line) }
            } catch {
                StandardError.write(line: "pms-gatewayd: \(error.message)")
                throw ExitCode(1)
            }
            return
        }
        if checkConfig {
            let problems = Daemon.checkConfiguration(options)
            for problem in problems { print(problem) }
            if problems.isEmpty { print("config \(config): ok") }
            throw ExitCode(problems.isEmpty ? 0 : 1)
        }
        do {
            try await Daemon.run(options)
        } catch let error as ConfigurationError {
            StandardError.write(line: "pms-gatewayd: \(error.message)")
            throw ExitCode(Self.exConfig)
        }
    }
}
