import Foundation
import GatewayTestSupport
import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL server `make test` runs for the tests (scripts/pg-test-server.sh): where its
/// socket is, the test role and its password, and connections to it with postgres-nio.
///
/// The server is found only through the environment `make test` exports (the script's `DIR/env`):
/// `PMS_GATEWAY_PG_SOCKET_DIR`, `PMS_GATEWAY_PG_PORT`, `PMS_GATEWAY_PG_USER`,
/// `PMS_GATEWAY_PG_DATABASE` and `PMS_GATEWAY_PG_PASSWORD_FILE`. Without them there is no server,
/// and ``fromEnvironment(_:)`` throws a ``TestFailure`` that says to run `make test`: a PostgreSQL
/// test must fail then, never skip.
public struct PostgresTestServer: Sendable, CustomStringConvertible {
    /// The directory of the server's Unix socket (`.s.PGSQL.<port>`).
    public let socketDirectory: String
    /// The port: over a Unix socket only a part of the socket's name.
    public let port: Int
    /// The test role: it logs in with ``password`` and may create databases, but is no superuser.
    public let user: String
    /// A database ``user`` owns, there for the whole run.
    public let database: String
    /// The file holding ``user``'s password, as `database.passwordFile` will name it (SPEC 9).
    public let passwordFile: String
    /// ``user``'s password (the content of ``passwordFile``, without a trailing newline).
    public let password: String

    /// The environment variables `make test` sets, in the order ``fromEnvironment(_:)`` reads them.
    public static let environmentVariables = [
        "PMS_GATEWAY_PG_SOCKET_DIR", "PMS_GATEWAY_PG_PORT", "PMS_GATEWAY_PG_USER", "PMS_GATEWAY_PG_DATABASE",
        "PMS_GATEWAY_PG_PASSWORD_FILE",
    ]

    /// The server `make test` started, from `environment` (the process's own by default). Throws
    /// a ``TestFailure`` naming what is missing and saying to run the tests with `make test`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> PostgresTestServer {
        let missing = environmentVariables.filter { (environment[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw TestFailure(
                "no PostgreSQL test server: \(missing.joined(separator: ", ")) not set. Run the tests with "
                    + "`make test`, which starts one (scripts/pg-test-server.sh) and sets them; by hand: "
                    + "scripts/pg-test-server.sh start DIR && source DIR/env && swift test")
        }
        let portText = environment["PMS_GATEWAY_PG_PORT"]!
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw TestFailure("PMS_GATEWAY_PG_PORT is not a port number: \(portText)")
        }
        let passwordFile = environment["PMS_GATEWAY_PG_PASSWORD_FILE"]!
        let password: String
        do {
            password = try String(contentsOfFile: passwordFile, encoding: .utf8)
        } catch {
            throw TestFailure("cannot read PMS_GATEWAY_PG_PASSWORD_FILE \(passwordFile): \(error)")
        }
        return PostgresTestServer(
            socketDirectory: environment["PMS_GATEWAY_PG_SOCKET_DIR"]!, port: port,
            user: environment["PMS_GATEWAY_PG_USER"]!, database: environment["PMS_GATEWAY_PG_DATABASE"]!,
            passwordFile: passwordFile,
            password: String(password.reversed().drop(while: \.isNewline).reversed()))
    }

    /// The server's Unix socket.
    public var socketPath: String { "\(socketDirectory)/.s.PGSQL.\(port)" }

    public var description: String { "PostgreSQL at \(socketPath) (user \(user))" }

    /// libpq's URL for `database` over the socket, the form `database.url` takes (SPEC 9):
    /// `postgresql://user@/database?host=/socket/dir&port=N`. No password: that comes from
    /// ``passwordFile``.
    public func url(database: String? = nil) -> String {
        "postgresql://\(user)@/\(database ?? self.database)?host=\(socketDirectory)&port=\(port)"
    }

    /// The settings of a connection to `database` (by default ``database``) as `user` with
    /// `password` (by default the test role's).
    public func configuration(
        database: String? = nil, user: String? = nil, password: String? = nil
    ) -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(
            unixSocketPath: socketPath, username: user ?? self.user, password: password ?? self.password,
            database: database ?? self.database)
    }

    /// Opens a connection to `database` (by default ``database``); the caller closes it. The
    /// server's refusal (no such database, a wrong password) is thrown as postgres-nio's `PSQLError`.
    public func connect(
        database: String? = nil, user: String? = nil, password: String? = nil,
        logger: Logger = PostgresTestServer.logger
    ) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: configuration(database: database, user: user, password: password),
            id: Self.nextConnectionID(), logger: logger)
    }

    /// Runs `body` with a connection to `database` (by default ``database``) and closes it
    /// afterwards, also when `body` throws.
    @discardableResult
    public func withConnection<Result: Sendable>(
        database: String? = nil, logger: Logger = PostgresTestServer.logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect(database: database, logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return result
    }

    /// The logger connections get unless a test passes its own: postgres-nio's background events
    /// are of no interest to a passing test.
    public static let logger = Logger(label: "pms-gateway.tests.postgres") { _ in SwiftLogNoOpLogHandler() }

    private static let connectionIDs = Mutex(0)

    private static func nextConnectionID() -> Int {
        connectionIDs.withLock { id in
            id += 1
            return id
        }
    }
}

extension PSQLError {
    /// The SQLSTATE the server sent (e.g. `3D000` for a database that does not exist), if the
    /// server sent the error.
    public var sqlState: String? { serverInfo?[.sqlState] }

    /// The server's message, if the server sent the error. (`description` hides it on purpose.)
    public var serverMessage: String? { serverInfo?[.message] }
}
