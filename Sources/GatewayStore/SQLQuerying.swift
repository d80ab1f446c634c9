/// Anything that runs a query: a read connection in its snapshot, or the writer inside its
/// transaction. Lookups written once against it serve reads and the checks inside a mutation.
package protocol SQLQuerying: ~Copyable {
    func query(_ sql: String, _ bindings: [SQLValue]) throws(StoreError) -> [Row]
}

extension ReadConnection: SQLQuerying {}
extension WriteTransaction: SQLQuerying {}
