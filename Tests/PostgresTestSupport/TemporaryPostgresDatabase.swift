import GatewayTestSupport
import Logging
import NIOPosix
import PostgresNIO

/// A database of its own for one test on the test server, dropped at the end.
///
/// Its name is unique (`pgw_test_` and 16 random hex digits), the test role owns it, and it is empty
/// but for PostgreSQL's own `public` schema. Use ``with(on:_:)``: it drops the database when the
/// body returns and when it throws, and forces out connections still open to it (a daemon the test
/// killed, say), so one test's leftovers never meet the next test.
public struct TemporaryPostgresDatabase: Sendable, CustomStringConvertible {
    /// The server it lives on.
    public let server: PostgresTestServer
    /// Its name.
    public let name: String

    public var description: String { "database \(name) on \(server)" }

    /// libpq's URL for it, the form `database.url` takes (SPEC 9).
    public var url: String { server.url(database: name) }

    /// A new, unique name on `server`; the database is not created yet.
    private init(server: PostgresTestServer) {
        self.server = server
        self.name = "pgw_test_" + (0..<16).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
    }

    // Names cannot be bound as parameters; these are made of [a-z0-9_] only.
    private var createStatement: String { "CREATE DATABASE \(name)" }
    private var dropStatement: String { "DROP DATABASE IF EXISTS \(name) WITH (FORCE)" }

    /// Creates a new, uniquely named database on `server` (by default the one `make test` started).
    /// Prefer ``with(on:_:)``, which also drops it.
    public static func create(on server: PostgresTestServer? = nil) async throws -> TemporaryPostgresDatabase {
        let database = TemporaryPostgresDatabase(server: try server ?? PostgresTestServer.fromEnvironment())
        try await database.server.withConnection { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: database.createStatement), logger: PostgresTestServer.logger)
        }
        return database
    }

    /// Drops the database, closing whatever connections are still open to it.
    public func drop() async throws {
        try await server.withConnection { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: dropStatement), logger: PostgresTestServer.logger)
        }
    }

    /// Runs `body` with a new database on `server` (by default the one `make test` started) and
    /// drops the database afterwards, whether `body` returns or throws.
    @discardableResult
    public static func with<Result: Sendable>(
        on server: PostgresTestServer? = nil, _ body: (TemporaryPostgresDatabase) async throws -> Result
    ) async throws -> Result {
        let database = try await create(on: server)
        let result: Result
        do {
            result = try await body(database)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
        return result
    }

    /// Opens a connection to this database as the test role; the caller closes it.
    public func connect(logger: Logger = PostgresTestServer.logger) async throws -> PostgresConnection {
        try await server.connect(database: name, logger: logger)
    }

    /// Runs `body` with a connection to this database and closes it afterwards.
    @discardableResult
    public func withConnection<Result: Sendable>(
        logger: Logger = PostgresTestServer.logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await server.withConnection(database: name, logger: logger, body)
    }
}

extension TemporaryPostgresDatabase {
    /// ``create(on:)`` for code that cannot await (a test daemon's initialiser). Blocks the calling
    /// thread, which must not be an event loop.
    public static func createNow(on server: PostgresTestServer? = nil) throws -> TemporaryPostgresDatabase {
        let database = TemporaryPostgresDatabase(server: try server ?? PostgresTestServer.fromEnvironment())
        try database.server.runNow(database.createStatement)
        return database
    }

    /// ``drop()`` for code that cannot await (a deinit).
    public func dropNow() throws {
        try server.runNow(dropStatement)
    }
}

extension PostgresTestServer {
    /// Runs one statement on ``database`` over a connection of its own, blocking the calling thread.
    public func runNow(_ sql: String, database: String? = nil) throws {
        let connection = try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration(database: database), id: 0,
            logger: Self.logger
        ).wait()
        defer { try? connection.close().wait() }
        _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger).wait()
    }
}

/// Which backend a test runs the store on (SPEC 9): suites that must hold on both take this as
/// their argument.
public enum TestStore: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgresql

    public var description: String { rawValue }
}
