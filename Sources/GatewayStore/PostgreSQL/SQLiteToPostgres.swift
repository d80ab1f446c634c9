import Logging
import NIOPosix

/// `pms-gatewayd --copy-to URL` (SPEC 9): one host's SQLite database moved whole into a PostgreSQL
/// database without pms-gateway tables, so that host can join the others.
///
/// Everything happens in one PostgreSQL transaction: the schema, every row of every table (journal,
/// outbox and state, with their seqs), the journal head, the identities moved past the copied seqs,
/// and a verify of the journal as it now stands in PostgreSQL. The COMMIT comes only if that verify
/// gives the same head as the source's; any failure leaves the target as it was.
package enum SQLiteToPostgres {
    package struct Report: Sendable {
        /// Rows per table, in the order they were copied.
        package var rows: [(table: String, count: Int)]
        package var journal: JournalVerification
    }

    /// `source` must be a database of this build's schema (the daemon migrates it at start).
    package static func copy(
        from source: Store, to location: PostgresLocation, password: String?, migrations: [Migration], logger: Logger
    ) throws -> Report {
        let target = try PostgresSession.connect(
            to: location, password: password, eventLoop: MultiThreadedEventLoopGroup.singleton.any(), logger: logger)
        return try source.read { sqlite throws(StoreError) -> Report in
            // Refused when the target holds any table of ours (SPEC 9); other tables are left be.
            let ours = try tables(of: sqlite)
            let present = try target.query(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
                """, []
            ).map { row throws(StoreError) in try row.string(0) }.filter(ours.contains)
            guard present.isEmpty else {
                throw StoreError(
                    .configuration,
                    "\(location) already holds pms-gateway tables (\(present.joined(separator: ", "))); "
                        + "--copy-to only fills a database without them")
            }
            let sourceJournal = try sqlite.journalVerify()
            guard sourceJournal.ok else {
                throw StoreError(
                    .corrupt, "the source journal does not verify (first bad seq \(sourceJournal.firstBadSeq ?? 0))")
            }
            try target.execute("BEGIN", [])
            do throws(StoreError) {
                try PostgresMigrator.migrate(migrations, on: target, logger: logger)
                var counts: [(table: String, count: Int)] = []
                for table in ours where table != "store_meta" && table != "outbox_counts" {
                    counts.append((table, try copyTable(table, from: sqlite, to: target)))
                }
                let head = try sqlite.query(
                    "SELECT key, value FROM store_meta WHERE key IN ('journal_head_seq', 'journal_head_hash')")
                let stored = try JournalHead(storeMeta: head)
                try target.execute(
                    "UPDATE store_meta SET value = ? WHERE key = 'journal_head_seq'", [.text(String(stored.seq))])
                try target.execute(
                    "UPDATE store_meta SET value = ? WHERE key = 'journal_head_hash'", [.text(stored.hash)])
                try target.runScript(PostgresSchema.resetSequences)
                let copied = try ReadConnection(session: target).journalVerify()
                guard copied.ok, copied.headHash == sourceJournal.headHash, copied.entries == sourceJournal.entries
                else {
                    throw StoreError(
                        .corrupt,
                        "the copied journal does not verify as the source does (\(copied.entries) entries, "
                            + "head \(copied.headHash)); nothing was committed")
                }
                try target.execute("COMMIT", [])
                return Report(rows: counts, journal: copied)
            } catch {
                if !target.isAutocommit { _ = try? target.execute("ROLLBACK", []) }
                throw error
            }
        }
    }

    /// The source's tables in the order they were created, which is an order their foreign keys
    /// allow (a table is created after the tables it references).
    private static func tables(of sqlite: ReadConnection) throws(StoreError) -> [String] {
        try sqlite.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).map { row throws(StoreError) in try row.string(0) }
    }

    /// Copies the columns both sides have, in batches; the number of rows.
    private static func copyTable(_ table: String, from sqlite: ReadConnection, to target: PostgresSession)
        throws(StoreError) -> Int
    {
        let targetColumns = Set(
            try target.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
                [.text(table)]
            ).map { row throws(StoreError) in try row.string(0) })
        guard !targetColumns.isEmpty else {
            throw StoreError(.sql, "table \(table) has no counterpart in the PostgreSQL schema")
        }
        let columns = try sqlite.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)])
            .map { row throws(StoreError) in try row.string(0) }.filter(targetColumns.contains)
        let list = columns.joined(separator: ", ")
        let rowsPerInsert = max(1, 4096 / columns.count)
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let order = columns.contains("seq") ? "seq" : "rowid"
        var copied = 0
        var offset = 0
        let page = rowsPerInsert * 16
        while true {
            let rows = try sqlite.query(
                "SELECT \(list) FROM \(table) ORDER BY \(order) LIMIT ? OFFSET ?", [SQLValue(page), SQLValue(offset)])
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(start + rowsPerInsert, rows.count)]
                let sql =
                    "INSERT INTO \(table) (\(list)) VALUES "
                    + Array(repeating: row, count: chunk.count).joined(separator: ", ")
                try target.execute(sql, chunk.flatMap(\.values))
                start += chunk.count
            }
            copied += rows.count
            offset += rows.count
            if rows.count < page { break }
        }
        return copied
    }
}
