import Foundation
import GatewayTestSupport
import Logging
import PostgresNIO
import PostgresTestSupport
import Testing

/// scripts/pg-test-server.sh itself, on servers of their own (not the one `make test` started):
/// start, start again, stop, stop again, halt and start, its refusals and its failures.
@Suite(.timeLimit(.minutes(2))) struct PgTestServerScriptTests {
    /// Runs the script whatever its exit status.
    private func script(_ arguments: String..., environment: [String: String] = [:]) throws -> ShellCommand.Output {
        try ShellCommand.run(
            ScratchPostgresServer.script, arguments, environment: environment, timeout: .seconds(150))
    }

    private var logger: Logger { PostgresTestServer.logger }

    @Test func startsAnswersStartsAgainStopsAndStopsAgain() async throws {
        let scratch = try TemporaryDirectory(prefix: "pgw-pg")
        let directory = scratch.file("server")
        // Another port than make's server: only the socket's name, but it shows the port is passed on.
        let started = try script("start", directory, environment: ["PG_TEST_PORT": "55434"])
        try #require(started.status == 0, "\(started)")
        #expect(started.stdout.contains("PostgreSQL 15."))

        let environment = try ScratchPostgresServer.readEnvironment(of: directory)
        #expect(environment["PMS_GATEWAY_PG_SOCKET_DIR"] == directory)
        #expect(environment["PMS_GATEWAY_PG_PORT"] == "55434")
        #expect(environment["PMS_GATEWAY_PG_DIR"] == directory)
        let server = try PostgresTestServer.fromEnvironment(environment)
        #expect(access(server.socketPath, F_OK) == 0)
        let ports = try await server.withConnection { connection in
            let rows = try await connection.query("SELECT current_setting('port')::int", logger: logger)
            var ports: [Int] = []
            for try await port in rows.decode(Int.self) { ports.append(port) }
            return ports
        }
        #expect(ports == [55434])

        let again = try script("start", directory, environment: ["PG_TEST_PORT": "55434"])
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("already running"))
        // Still the same server, still answering.
        try await server.withConnection { connection in try await connection.query("SELECT 1", logger: logger) }

        let stopped = try script("stop", directory)
        #expect(stopped.status == 0, "\(stopped)")
        #expect(access(directory, F_OK) != 0, "stop removes the directory")
        await #expect(throws: (any Error).self) { try await server.connect() }

        let stoppedAgain = try script("stop", directory)
        #expect(stoppedAgain.status == 0, "\(stoppedAgain)")
    }

    /// `halt` is a crash that keeps the data: clients are cut off, and after `start` everything
    /// committed before is there (fsync=off loses nothing while the OS stays up).
    @Test func haltCutsClientsOffAndStartBringsBackWhatWasCommitted() async throws {
        try await ScratchPostgresServer.with(port: 55435) { scratch in
            let server = scratch.server
            let connection = try await server.connect()
            try await connection.query("CREATE TABLE kept (id int PRIMARY KEY)", logger: logger)
            try await connection.query("INSERT INTO kept SELECT generate_series(1, 1000)", logger: logger)

            try scratch.halt()
            try scratch.halt()  // idempotent
            // The client sees its connection closed. Only `isClosed` says so: postgres-nio 1.33.2's
            // `query` on a connection the server has closed never returns (its fix, PR 487, was
            // reverted in PR 501), so a backend must check `isClosed` or bound its queries in time.
            try await eventually("the client sees its connection closed", timeout: .seconds(10)) {
                connection.isClosed
            }
            await #expect(throws: (any Error).self) { try await server.connect() }

            try scratch.start()
            let counts = try await server.withConnection { connection in
                let rows = try await connection.query("SELECT count(*)::int FROM kept", logger: logger)
                var counts: [Int] = []
                for try await count in rows.decode(Int.self) { counts.append(count) }
                return counts
            }
            #expect(counts == [1000])
        }
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

    /// `stop` removes only a directory `start` made, and `start` uses no directory with other
    /// things in it: a mistyped path loses nothing.
    @Test func aDirectoryThatIsNotATestServersIsLeftAlone() throws {
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
