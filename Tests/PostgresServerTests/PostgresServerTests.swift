import GatewayTestSupport
import Logging
import PostgresNIO
import PostgresTestSupport
import Testing

/// The PostgreSQL server `make test` starts (scripts/pg-test-server.sh), as the PostgreSQL backend's
/// tests will use it: reachable over its Unix socket only, version 15, a scratch database per test,
/// and the server's own errors for a wrong database or password. Run without `make test`, every
/// test here fails with a message saying so.
@Suite(.timeLimit(.minutes(2))) struct PostgresServerTests {
    let server: PostgresTestServer

    init() throws {
        server = try PostgresTestServer.fromEnvironment()
    }

    @Test func answersVersion15OverItsUnixSocketOnly() async throws {
        let (version, versionNumber, listenAddresses, serverAddress) = try await server.withConnection {
            connection in
            let rows = try await connection.query(
                """
                SELECT version(), current_setting('server_version_num')::int,
                    current_setting('listen_addresses'), inet_server_addr()::text
                """,
                logger: PostgresTestServer.logger)
            var answers: [(String, Int, String, String?)] = []
            for try await row in rows.decode((String, Int, String, String?).self) { answers.append(row) }
            return try #require(answers.count == 1 ? answers[0] : nil)
        }
        #expect(version.hasPrefix("PostgreSQL 15."), "\(version)")
        #expect((150_000..<160_000).contains(versionNumber))
        #expect(listenAddresses == "")
        // NULL: the connection came over a Unix socket, not TCP.
        #expect(serverAddress == nil)
    }

    @Test func theTestRoleOwnsItsDatabaseAndIsNoSuperuser() async throws {
        let (user, database, isSuperuser) = try await server.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT current_user::text, current_database()::text, rolsuper
                FROM pg_roles WHERE rolname = current_user
                """,
                logger: PostgresTestServer.logger)
            var answers: [(String, String, Bool)] = []
            for try await row in rows.decode((String, String, Bool).self) { answers.append(row) }
            return try #require(answers.first)
        }
        #expect(user == server.user)
        #expect(database == server.database)
        #expect(!isSuperuser)
    }

    @Test func aTemporaryDatabaseIsCreatedUsedAndDropped() async throws {
        let name = try await TemporaryPostgresDatabase.with(on: server) { database in
            #expect(try await databaseExists(database.name))
            let answer = try await database.withConnection { connection in
                try await connection.query("CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL)", logger: logger)
                try await connection.query("INSERT INTO t VALUES (\(1), \("one"))", logger: logger)
                let rows = try await connection.query(
                    "SELECT current_database()::text, label FROM t WHERE id = \(1)", logger: logger)
                var answers: [(String, String)] = []
                for try await row in rows.decode((String, String).self) { answers.append(row) }
                return answers
            }
            #expect(answer.count == 1)
            #expect(answer.first?.0 == database.name)
            #expect(answer.first?.1 == "one")
            let host = "host=\(server.socketDirectory)&port=\(server.port)"
            #expect(database.url == "postgresql://\(server.user)@/\(database.name)?\(host)")
            return database.name
        }
        #expect(name.hasPrefix("pgw_test_"))
        #expect(try await !databaseExists(name))
    }

    @Test func eachTemporaryDatabaseIsItsOwn() async throws {
        try await TemporaryPostgresDatabase.with(on: server) { first in
            try await TemporaryPostgresDatabase.with(on: server) { second in
                #expect(first.name != second.name)
                try await first.withConnection { connection in
                    try await connection.query("CREATE TABLE only_in_first (id int)", logger: logger)
                }
                let tables = try await second.withConnection { connection in
                    let rows = try await connection.query(
                        "SELECT count(*)::int FROM pg_tables WHERE tablename = 'only_in_first'", logger: logger)
                    var counts: [Int] = []
                    for try await count in rows.decode(Int.self) { counts.append(count) }
                    return counts
                }
                #expect(tables == [0])
            }
        }
    }

    /// A test that fails, or leaves a connection open (a daemon it killed), still loses its database.
    @Test func aTemporaryDatabaseIsDroppedWhenTheTestThrowsWithAConnectionStillOpen() async throws {
        struct Planned: Error {}
        var name: String?
        var leftOpen: PostgresConnection?
        await #expect(throws: Planned.self) {
            try await TemporaryPostgresDatabase.with(on: server) { database in
                name = database.name
                leftOpen = try await database.connect()
                throw Planned()
            }
        }
        #expect(try await !databaseExists(try #require(name)))
        try? await leftOpen?.close()
    }

    /// The pattern of SPEC 9's "a missing database is a configuration error": the server's own refusal.
    @Test func aMissingDatabaseFailsWithTheServersError() async throws {
        let missing = "pgw_no_such_database"
        let error = try await serverError { try await server.connect(database: missing) }
        #expect(error.code == .server)
        #expect(error.sqlState == "3D000")  // invalid_catalog_name
        #expect(error.serverMessage == "database \"\(missing)\" does not exist")
    }

    /// The pattern of SPEC 9's "a refused login is a configuration error".
    @Test func aWrongPasswordIsRefusedByTheServer() async throws {
        let error = try await serverError { try await server.connect(password: server.password + "x") }
        #expect(error.code == .server)
        #expect(error.sqlState == "28P01")  // invalid_password
        #expect(error.serverMessage == "password authentication failed for user \"\(server.user)\"")
    }

    @Test func withoutMakeTestsEnvironmentTheServerIsNotFoundAndTheFailureSaysWhy() throws {
        let none = #expect(throws: TestFailure.self) { try PostgresTestServer.fromEnvironment([:]) }
        let message = none?.description ?? ""
        #expect(message.contains("make test"))
        for variable in PostgresTestServer.environmentVariables { #expect(message.contains(variable)) }

        var environment = [
            "PMS_GATEWAY_PG_SOCKET_DIR": server.socketDirectory, "PMS_GATEWAY_PG_PORT": "\(server.port)",
            "PMS_GATEWAY_PG_USER": server.user, "PMS_GATEWAY_PG_DATABASE": server.database,
            "PMS_GATEWAY_PG_PASSWORD_FILE": server.passwordFile,
        ]
        let found = try PostgresTestServer.fromEnvironment(environment)
        #expect(found.socketPath == server.socketPath)
        #expect(found.password == server.password)
        #expect(!found.password.isEmpty && !found.password.contains("\n"))

        environment["PMS_GATEWAY_PG_USER"] = nil
        let oneMissing = #expect(throws: TestFailure.self) { try PostgresTestServer.fromEnvironment(environment) }
        #expect(oneMissing?.description.contains("PMS_GATEWAY_PG_USER not set") == true)

        environment["PMS_GATEWAY_PG_USER"] = server.user
        environment["PMS_GATEWAY_PG_PORT"] = "postgres"
        #expect(throws: TestFailure.self) { try PostgresTestServer.fromEnvironment(environment) }
    }

    // MARK: Helpers

    private var logger: Logger { PostgresTestServer.logger }

    private func databaseExists(_ name: String) async throws -> Bool {
        try await server.withConnection { connection in
            let rows = try await connection.query(
                "SELECT count(*)::int FROM pg_database WHERE datname = \(name)", logger: logger)
            var counts: [Int] = []
            for try await count in rows.decode(Int.self) { counts.append(count) }
            return counts == [1]
        }
    }

    /// The `PSQLError` that `connect` throws; a connection that succeeds is closed and fails the test.
    private func serverError(_ connect: () async throws -> PostgresConnection) async throws -> PSQLError {
        let connection: PostgresConnection
        do {
            connection = try await connect()
        } catch let error as PSQLError {
            return error
        }
        try await connection.close()
        throw TestFailure("the connection succeeded; expected the server to refuse it")
    }
}
