import Foundation
import GatewayTestSupport
import PostgresNIO
import PostgresTestSupport
import Testing

/// scripts/pg-test-server.sh itself, on servers of its own (not the one `make test` started):
/// start, start again, stop, stop again, its refusals and its failures.
@Suite struct PgTestServerScriptTests {
    static let script = "\(TestPaths.packageRoot)/scripts/pg-test-server.sh"

    /// Runs the script; PostgreSQL may take a while to start on a loaded CI machine.
    private func script(_ arguments: String..., environment: [String: String] = [:]) throws -> ShellCommand.Output {
        try ShellCommand.run(Self.script, arguments, environment: environment, timeout: .seconds(120))
    }

    /// The variables the script wrote to `DIR/env` (lines `export NAME='value'`).
    private func environment(of directory: String) throws -> [String: String] {
        let text = try String(contentsOfFile: "\(directory)/env", encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("export "), let equals = line.firstIndex(of: "=") else {
                throw TestFailure("unexpected line in \(directory)/env: \(line)")
            }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
            environment[name] = String(line[line.index(after: equals)...].dropFirst().dropLast())
        }
        return environment
    }

    @Test func startsAnswersStartsAgainStopsAndStopsAgain() async throws {
        let scratch = try TemporaryDirectory(prefix: "pgw-pg")
        let directory = scratch.file("server")
        // Another port than make's server: only the socket's name, but it shows the port is passed on.
        let started = try script("start", directory, environment: ["PG_TEST_PORT": "55433"])
        try #require(started.status == 0, "\(started)")
        #expect(started.stdout.contains("PostgreSQL 15."))

        let environment = try environment(of: directory)
        #expect(environment["PMS_GATEWAY_PG_SOCKET_DIR"] == directory)
        #expect(environment["PMS_GATEWAY_PG_PORT"] == "55433")
        #expect(environment["PMS_GATEWAY_PG_DIR"] == directory)
        let server = try PostgresTestServer.fromEnvironment(environment)
        #expect(access(server.socketPath, F_OK) == 0)
        let answer = try await server.withConnection { connection in
            let rows = try await connection.query(
                "SELECT current_setting('port')::int", logger: PostgresTestServer.logger)
            var ports: [Int] = []
            for try await port in rows.decode(Int.self) { ports.append(port) }
            return ports
        }
        #expect(answer == [55433])

        let again = try script("start", directory, environment: ["PG_TEST_PORT": "55433"])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("already running"))
        // Still the same server, still answering.
        try await server.withConnection { connection in
            try await connection.query("SELECT 1", logger: PostgresTestServer.logger)
        }

        let stopped = try script("stop", directory)
        #expect(stopped.status == 0, "\(stopped)")
        #expect(access(directory, F_OK) != 0, "stop removes the directory")
        let refused = await #expect(throws: (any Error).self) { try await server.connect() }
        #expect(refused != nil)

        let stoppedAgain = try script("stop", directory)
        #expect(stoppedAgain.status == 0, "\(stoppedAgain)")
    }

    /// A server that cannot start says why: the script exits non-zero and prints the server's log.
    @Test func aFailedStartPrintsTheServerLog() throws {
        let scratch = try TemporaryDirectory(prefix: "pgw-pg")
        let directory = scratch.file("server")
        let failed = try script(
            "start", directory, environment: ["PG_TEST_SERVER_OPTIONS": "-c no_such_setting_here=1"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("pg_ctl start failed"), "\(failed)")
        #expect(failed.stderr.contains("no_such_setting_here"), "the server's own complaint: \(failed)")
        let stopped = try script("stop", directory)
        #expect(stopped.status == 0, "\(stopped)")
        #expect(access(directory, F_OK) != 0)
    }

    /// `stop` removes only a directory `start` made: a mistyped path loses nothing.
    @Test func stopLeavesADirectoryThatIsNotATestServersAlone() throws {
        let scratch = try TemporaryDirectory(prefix: "pgw-pg")
        try scratch.write("keep-me", "data")
        let refused = try script("stop", scratch.path)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not a test server's directory"), "\(refused)")
        #expect(access(scratch.file("keep-me"), F_OK) == 0)

        let refusedStart = try script("start", scratch.path)
        #expect(refusedStart.status != 0)
        #expect(refusedStart.stderr.contains("not empty"), "\(refusedStart)")
        #expect(access(scratch.file("keep-me"), F_OK) == 0)
    }
}
