import Logging

extension Migration {
    /// The store alone on PostgreSQL (its own tests, and tools that only read the journal).
    package static let postgresStoreMigrations = numbered([PostgresSchema.store])
}

/// Brings a PostgreSQL database to the newest schema this build knows, as `Migrator` does for
/// SQLite: all pending steps in one transaction, refusing a database from a newer build.
///
/// Several daemons may start at once against one database; a transaction-scoped advisory lock
/// makes them migrate one after the other, and the later ones find nothing left to do.
enum PostgresMigrator {
    /// An arbitrary key for `pg_advisory_xact_lock`, the same in every build.
    static let lockKey: Int64 = 0x706D_7367_7700_0001

    static func run(_ migrations: [Migration], on session: PostgresSession, logger: Logger) throws(StoreError) {
        try session.execute("BEGIN", [])
        do throws(StoreError) {
            try migrate(migrations, on: session, logger: logger)
            try session.execute("COMMIT", [])
        } catch {
            if !session.isAutocommit { _ = try? session.execute("ROLLBACK", []) }
            throw error
        }
    }

    /// The steps alone, inside a transaction the caller opened (a copy adds its rows to the same one).
    static func migrate(_ migrations: [Migration], on session: PostgresSession, logger: Logger) throws(StoreError) {
        try Migrator.validate(migrations)
        let supported = migrations.last?.version ?? 0
        try session.execute("SELECT pg_advisory_xact_lock(?)", [.integer(lockKey)])
        let found = try version(session)
        guard found <= supported else {
            throw StoreError(
                .newerSchema(found: found, supported: supported),
                "database schema version \(found) is newer than this build supports (\(supported)); "
                    + "refusing to open it")
        }
        for migration in migrations where migration.version > found {
            logger.notice("applying schema migration", metadata: ["version": "\(migration.version)"])
            try session.runScript(migration.sql)
            try session.execute(
                """
                INSERT INTO store_meta (key, value) VALUES ('schema_version', ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [.text(String(migration.version))])
        }
    }

    /// The schema version recorded, 0 for a database without the store's tables.
    static func version(_ session: PostgresSession) throws(StoreError) -> Int {
        guard
            try session.queryFirst("SELECT to_regclass('store_meta') IS NOT NULL", [])?.bool(0) == true,
            let row = try session.queryFirst("SELECT value FROM store_meta WHERE key = 'schema_version'", [])
        else { return 0 }
        guard let version = Int(try row.string(0)) else {
            throw StoreError(.corrupt, "store_meta's schema_version is not a number")
        }
        return version
    }
}
