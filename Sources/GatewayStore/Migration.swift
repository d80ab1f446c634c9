import Logging

/// One numbered schema step.
///
/// A database records the last step applied in `PRAGMA user_version`. Steps are never edited once
/// shipped; a change is a new step, so every database reaches the same schema by the same path.
package struct Migration: Sendable {
    package var version: Int
    package var sql: String

    package init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }
}

extension Migration {
    /// The store's own steps (journal, outbox), in the order they must run. A schema interleaves
    /// them with its domain's steps in the order they shipped (`numbered`).
    package static let storeSteps = [journalAndOutbox, outboxMessages, outboxRejections, OutboxClaimSQL.sqliteColumns]

    /// `steps` numbered 1, 2, 3, … as `PRAGMA user_version` counts them.
    package static func numbered(_ steps: [String]) -> [Migration] {
        steps.enumerated().map { Migration(version: $0.offset + 1, sql: $0.element) }
    }

    /// The store alone, with no domain tables (its own tests, and tools that only read the journal).
    package static let storeMigrations = numbered(storeSteps)

    /// Whether the store's steps appear in `migrations` in their order, the first one first; a
    /// list may stop early, as an older build's did.
    static func holdsStoreSteps(_ migrations: [Migration]) -> Bool {
        let present = migrations.map(\.sql).filter(storeSteps.contains)
        return migrations.first?.sql == journalAndOutbox && present == Array(storeSteps.prefix(present.count))
    }

    /// Version 1: the journal, its committed head, and the outbox.
    static let journalAndOutbox = """
        CREATE TABLE store_meta (
            key   TEXT PRIMARY KEY NOT NULL,
            value ANY
        ) STRICT, WITHOUT ROWID;

        -- The writer moves this head in the same transaction as the entries it appends, so
        -- a verify can tell a journal whose newest rows were cut off from a short one.
        INSERT INTO store_meta (key, value) VALUES
            ('journal_head_seq', 0),
            ('journal_head_hash', '\(JournalHead.genesisHash)');

        -- One column per field of an entry (STRICT, so a type cannot drift either); the hash
        -- covers all of them, and verify rebuilds the canonical text from these columns.
        CREATE TABLE journal (
            seq         INTEGER PRIMARY KEY,
            at          TEXT    NOT NULL,
            method      TEXT    NOT NULL,
            entity_type TEXT    NOT NULL,
            entity_id   TEXT    NOT NULL,
            peer_uid    INTEGER NOT NULL,
            peer_gid    INTEGER NOT NULL,
            peer_pid    INTEGER NOT NULL,
            request_id  TEXT,
            change      TEXT    NOT NULL,  -- RFC 8785 canonical JSON
            prev_hash   TEXT    NOT NULL,
            hash        TEXT    NOT NULL
        ) STRICT;
        CREATE INDEX journal_by_entity ON journal (entity_id, seq);

        -- Append-only against our own mistakes; the hash chain is what catches anyone else.
        CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
        CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

        CREATE TABLE outbox (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            target          TEXT    NOT NULL,
            topic           TEXT    NOT NULL,
            ordering_key    TEXT    NOT NULL,
            body            TEXT    NOT NULL,
            status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            created_at      TEXT    NOT NULL,
            delivered_at    TEXT,
            next_attempt_at TEXT
        ) STRICT;
        CREATE INDEX outbox_due ON outbox (status, next_attempt_at, seq);
        CREATE INDEX outbox_by_key ON outbox (target, ordering_key, seq);

        -- Rows per status, kept by triggers in the same transaction as the rows, so
        -- system.health reads two numbers instead of counting a growing backlog.
        CREATE TABLE outbox_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
        INSERT INTO outbox_counts (status, n) VALUES ('pending', 0), ('delivered', 0), ('failed', 0);
        \(outboxCountTriggers)
        """

    /// Version 3: typed outbox messages. A row's body is the domain payload alone (delivery builds
    /// eSignet's and the hub's envelopes), its `message_id` names the event for every retry, and
    /// `next_attempt_ms` is an integer the delivery loop compares without parsing text. Rows
    /// written before keep their meaning: the payload is taken out of the stored envelope.
    ///
    /// The old `next_attempt_at` text column stays, always NULL from here on: dropping a column
    /// rebuilds the table, which would cost every new database a millisecond at its first start.
    static let outboxMessages = """
        DROP INDEX outbox_due;
        ALTER TABLE outbox ADD COLUMN next_attempt_ms INTEGER;
        UPDATE outbox SET next_attempt_ms = CAST(round((julianday(next_attempt_at) - 2440587.5) * 86400000.0) AS INTEGER)
        WHERE next_attempt_at IS NOT NULL;
        UPDATE outbox SET next_attempt_at = NULL;
        CREATE INDEX outbox_due ON outbox (status, next_attempt_ms, seq);

        ALTER TABLE outbox ADD COLUMN message_id TEXT;
        UPDATE outbox SET body = json_extract(body, '$.body.request')
        WHERE target = 'esignet' AND json_valid(body) AND json_type(body, '$.body.request') = 'object';
        UPDATE outbox SET message_id = json_extract(body, '$.event.id'), body = json_extract(body, '$.event.data')
        WHERE target = 'ida' AND json_valid(body) AND json_type(body, '$.event.data') = 'object';
        UPDATE outbox SET message_id = lower(hex(randomblob(16))) WHERE message_id IS NULL;
        """
}

/// Brings a database to the newest schema this build knows, all steps in one transaction.
enum Migrator {
    static func validate(_ migrations: [Migration]) throws(StoreError) {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw StoreError(
                .sql, "migrations must be numbered 1, 2, 3, … without gaps; #\(index) has version \(migration.version)")
        }
    }

    /// All or nothing: a step that fails leaves the database at the version it had, never between.
    static func run(_ migrations: [Migration], on connection: Connection, logger: Logger) throws(StoreError) {
        try validate(migrations)
        let supported = migrations.last?.version ?? 0
        let found = try connection.integer(pragma: "user_version")
        guard found <= supported else {
            throw StoreError(
                .newerSchema(found: found, supported: supported),
                "database schema version \(found) is newer than this build supports (\(supported)); "
                    + "refusing to open it")
        }
        let pending = migrations.filter { $0.version > found }
        guard !pending.isEmpty else { return }

        try connection.exec("BEGIN IMMEDIATE")
        do {
            for migration in pending {
                logger.notice("applying schema migration", metadata: ["version": "\(migration.version)"])
                try connection.exec(migration.sql)
                try connection.exec("PRAGMA user_version = \(migration.version)")
            }
            try connection.exec("COMMIT")
        } catch {
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            throw error
        }
    }
}

extension Migration {
    /// A store step: outbox rows can be `rejected` (SPEC 7.3: the receiver refused the call, and no
    /// retry can change that), keep the refusing `error_code` apart from `last_error`, and say
    /// when their state last changed. A CHECK cannot be altered, so the table is rebuilt; its
    /// AUTOINCREMENT sequence and every row carry over.
    static let outboxRejections = """
        CREATE TABLE outbox_next (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            target          TEXT    NOT NULL,
            topic           TEXT    NOT NULL,
            ordering_key    TEXT    NOT NULL,
            body            TEXT    NOT NULL,
            message_id      TEXT,
            status          TEXT    NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'delivered', 'failed', 'rejected')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT,
            error_code      TEXT,
            created_at      TEXT    NOT NULL,
            updated_at      TEXT,
            delivered_at    TEXT,
            next_attempt_ms INTEGER
        ) STRICT;
        INSERT INTO outbox_next (seq, target, topic, ordering_key, body, message_id, status, attempts, last_error,
                                 created_at, updated_at, delivered_at, next_attempt_ms)
        SELECT seq, target, topic, ordering_key, body, message_id, status, attempts, last_error, created_at,
               coalesce(delivered_at, created_at), delivered_at, next_attempt_ms FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_next RENAME TO outbox;
        CREATE INDEX outbox_due ON outbox (status, next_attempt_ms, seq);
        CREATE INDEX outbox_by_key ON outbox (target, ordering_key, seq);
        INSERT INTO outbox_counts (status, n) VALUES ('rejected', 0);
        \(outboxCountTriggers)
        """

    /// The triggers that keep `outbox_counts` in the same transaction as the rows; created with
    /// the table, and again whenever a step rebuilds it (dropping a table drops its triggers).
    static let outboxCountTriggers = """
        CREATE TRIGGER outbox_count_insert AFTER INSERT ON outbox
        BEGIN UPDATE outbox_counts SET n = n + 1 WHERE status = NEW.status; END;
        CREATE TRIGGER outbox_count_update AFTER UPDATE OF status ON outbox
        WHEN OLD.status <> NEW.status
        BEGIN
            UPDATE outbox_counts SET n = n - 1 WHERE status = OLD.status;
            UPDATE outbox_counts SET n = n + 1 WHERE status = NEW.status;
        END;
        CREATE TRIGGER outbox_count_delete AFTER DELETE ON outbox
        BEGIN UPDATE outbox_counts SET n = n - 1 WHERE status = OLD.status; END;
        """
}
