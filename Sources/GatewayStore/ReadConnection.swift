/// A read connection lent to one `Store.read` body, inside one read transaction.
///
/// Every query in the body sees the same snapshot, so a multi-query answer (a list and its count,
/// journal rows and the stored head) is consistent even while the writer commits.
package struct ReadConnection {
    let session: any DatabaseSession

    package func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [Row] {
        try session.query(sql, bindings)
    }

    /// The first row, or nil when there is none.
    package func queryFirst(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> Row? {
        try session.queryFirst(sql, bindings)
    }
}

/// Anything that runs a query: a read connection in its snapshot, or the writer inside its
/// transaction. Lookups written once against it serve reads and the checks inside a mutation.
package protocol SQLQuerying: ~Copyable {
    func query(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> [Row]
}

extension ReadConnection: SQLQuerying {}
extension WriteTransaction: SQLQuerying {}
