import GatewayJSON

/// The state a write body sees: the writer's session inside an open transaction and savepoint.
///
/// Non-copyable so the journal entries it gathers cannot be forked: a copy that recorded an entry
/// would leave the original without it, and the entry would never be appended.
/// Do not issue BEGIN, COMMIT or ROLLBACK here; the writer owns the transaction (a body's own
/// named SAVEPOINTs are fine).
package struct WriteTransaction: ~Copyable {
    let session: any DatabaseSession
    /// Entries recorded by this group's bodies so far, appended to the chain just before COMMIT.
    private(set) var journalEntries: [StampedDraft] = []

    init(session: any DatabaseSession) {
        self.session = session
    }

    /// Appended to a query that reads rows in order to change them: locks them until this
    /// transaction ends, so a writer elsewhere (another daemon on PostgreSQL) waits, and the read
    /// is the newest committed state. Empty on SQLite, whose one writer holds the whole file.
    package var lockingRowsRead: String {
        session.engine == .postgresql ? " FOR UPDATE" : ""
    }

    /// Runs one statement; the number of rows it changed.
    @discardableResult
    package func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Int {
        do {
            return try session.execute(sql, bindings)
        } catch {
            throw error.asWriteFailure
        }
    }

    /// Runs a query inside the transaction, so it sees this group's uncommitted changes.
    package func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [Row] {
        do {
            return try session.query(sql, bindings)
        } catch {
            throw error.asWriteFailure
        }
    }

    /// Records an entry for the hash chain, in this transaction.
    ///
    /// The entry gets its seq and hashes when the writer appends the group's entries, right before
    /// COMMIT: on PostgreSQL several daemons share one chain, and holding its head locked only for
    /// that last step is what lets their transactions run side by side until then.
    package mutating func journal(_ draft: JournalDraft) {
        journal(EncodedJournalDraft(draft))
    }

    /// `journal` for a draft encoded ahead of the write.
    package mutating func journal(_ draft: EncodedJournalDraft) {
        journalEntries.append(StampedDraft(draft: draft, at: UTCTimestamp.now()))
    }

    /// Forgets the entries recorded after the first `count` (a body that threw).
    mutating func keepJournalEntries(_ count: Int) {
        journalEntries.removeLast(journalEntries.count - count)
    }
}

/// A journal entry waiting for its place in the chain, with the time its mutation ran.
struct StampedDraft {
    var draft: EncodedJournalDraft
    var at: String
}
