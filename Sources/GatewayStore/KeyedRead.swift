/// A hot lookup of one row by one text key (`client.get`), written so that PostgreSQL can answer
/// it for many keys in one statement.
///
/// `SELECT columns FROM from WHERE key = ?` is the lookup for one key. For several, the store
/// selects `key` first and asks `key = ANY(?)` with a text array; each caller gets the row of its
/// own key. `key` must be unique in `from`'s rows (a primary key), or a caller gets any one of
/// its rows, as `queryFirst` would give.
package struct KeyedRead: Sendable {
    package let columns: String
    package let from: String
    package let key: String

    package init(columns: String, from: String, key: String) {
        self.columns = columns
        self.from = from
        self.key = key
    }

    /// One key, bound to `?`.
    var single: String { "SELECT \(columns) FROM \(from) WHERE \(key) = ?" }

    /// Many keys, bound as one text array to `$1`; each row starts with its key.
    var batched: String { "SELECT \(key), \(columns) FROM \(from) WHERE \(key) = ANY($1)" }
}
