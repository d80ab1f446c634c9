import Foundation
import GatewayTestSupport

/// A PostgreSQL server of one test's own, from scripts/pg-test-server.sh in a temporary directory:
/// for the tests that stop, crash or restart a server, which must not do that to the server every
/// other test shares (``PostgresTestServer/fromEnvironment(_:)``).
///
/// Use ``with(port:options:_:)``: it stops the server and removes its directory when the body
/// returns and when it throws. Starting one takes about a second.
public struct ScratchPostgresServer: Sendable {
    /// scripts/pg-test-server.sh.
    public static let script = "\(TestPaths.packageRoot)/scripts/pg-test-server.sh"

    /// The server's directory (socket, data, log, env).
    public let directory: String
    /// The server, as the tests connect to it.
    public let server: PostgresTestServer
    /// The environment the script was run with (the port and options), for ``start()`` again.
    private let environment: [String: String]

    /// Runs `body` with a new server listening on a socket named for `port` in a new directory,
    /// started with the extra `postgres` settings in `options` (`-c name=value ...`), and stops it
    /// and removes its directory afterwards, whether `body` returns or throws.
    @discardableResult
    public static func with<Result: Sendable>(
        port: Int = 55433, options: String = "", _ body: (ScratchPostgresServer) async throws -> Result
    ) async throws -> Result {
        let parent = try TemporaryDirectory(prefix: "pgw-pg")
        let directory = parent.file("server")
        let environment = ["PG_TEST_PORT": "\(port)", "PG_TEST_SERVER_OPTIONS": options]
        let result: Result
        do {
            try run("start", directory, environment: environment)
            let scratch = ScratchPostgresServer(
                directory: directory, server: try PostgresTestServer.fromEnvironment(readEnvironment(of: directory)),
                environment: environment)
            result = try await body(scratch)
        } catch {
            _ = try? run("stop", directory, environment: environment)
            throw error
        }
        try run("stop", directory, environment: environment)
        return result
    }

    /// Stops the server at once (`pg_ctl -m immediate`: no checkpoint, clients cut off, as in a crash)
    /// but keeps its data; ``start()`` brings it back.
    public func halt() throws {
        try Self.run("halt", directory, environment: environment)
    }

    /// Starts the server again after ``halt()``: the same cluster, after crash recovery.
    public func start() throws {
        try Self.run("start", directory, environment: environment)
    }

    /// Runs the script; throws ``TestFailure`` with its output when it fails.
    @discardableResult
    public static func run(
        _ command: String, _ directory: String, environment: [String: String] = [:]
    ) throws -> ShellCommand.Output {
        // PostgreSQL may take a while to start on a loaded CI machine; the script itself waits 60 s.
        let output = try ShellCommand.run(
            script, [command, directory], environment: environment, timeout: .seconds(150))
        guard output.status == 0, output.exitedNormally else {
            throw TestFailure("pg-test-server.sh \(command) \(directory) failed: \(output)")
        }
        return output
    }

    /// The variables the script wrote to `DIR/env` (lines `export NAME='value'`).
    public static func readEnvironment(of directory: String) throws -> [String: String] {
        let text = try String(contentsOfFile: "\(directory)/env", encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("export "), let equals = line.firstIndex(of: "="),
                line.last == "'", line[line.index(after: equals)...].first == "'"
            else {
                throw TestFailure("unexpected line in \(directory)/env: \(line)")
            }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
            environment[name] = String(line[line.index(after: equals)...].dropFirst().dropLast())
        }
        return environment
    }
}
