/// Which engine a store runs on. Services never ask; the store uses it for the few statements
/// the engines spell differently (how a write transaction begins, how the journal head is locked).
package enum StoreEngine: String, Sendable {
    case sqlite
    case postgresql
}

/// One connection of a store backend: the SQLite file or a PostgreSQL server session.
///
/// The services write their SQL once (`?` and `?NNN` placeholders, SQL both engines accept) and it
/// runs on either; a PostgreSQL session rewrites the placeholders. A session is owned by one
/// thread at a time (the writer, or a reader that borrowed it) and its calls block that thread,
/// which is why the store never runs them on an event loop.
protocol DatabaseSession: AnyObject {
    var engine: StoreEngine { get }

    /// Runs one statement; the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> Int

    func query(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> [Row]

    /// The first row, or nil when there is none.
    func queryFirst(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> Row?

    /// Runs a statement whose answer the caller does not wait for (BEGIN, SAVEPOINT, a read's
    /// COMMIT). A server session sends it and returns; statements run in the order they were sent,
    /// so a failure shows in the next statement the caller does wait for. It saves the round trip
    /// and, above all, a wake-up of the calling thread per statement.
    func send(_ sql: String) throws(StoreError)

    /// True when no transaction is open. SQLite rolls a transaction back by itself after some
    /// errors (full disk, I/O), and a PostgreSQL transaction ends with its connection; the writer
    /// must notice either before it issues COMMIT.
    var isAutocommit: Bool { get }

    /// False once the session cannot be used again (its server went away); the owner replaces it.
    var isUsable: Bool { get }
}

extension StoreEngine {
    /// Opens the writer's transaction. SQLite takes its write lock at once, so the group never
    /// fails half-way on a lock; PostgreSQL's rows lock one by one, and READ COMMITTED lets a
    /// statement that waited on another daemon's row see that daemon's committed change.
    var beginWrite: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgresql: "BEGIN ISOLATION LEVEL READ COMMITTED"
        }
    }

    /// Opens a read: one snapshot for every query of the read.
    var beginRead: String {
        switch self {
        case .sqlite: "BEGIN"
        case .postgresql: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }
}
