import GatewayJSON
import GatewayServices
import JSONRPC
import Synchronization

/// The router's table: every method of SPEC 4, registered in the order the spec lists them.
/// `rpc.discover` is generated from this same table, itself included, so the two cannot drift.
enum GatewayMethods {
    static func table(_ services: GatewayServiceSet) -> MethodTable<CallContext> {
        var table = MethodTable<CallContext>()
        let document = DiscoveryDocument()
        table.registerSystemMethods(
            store: services.store, backups: services.backups, version: services.version,
            startedAt: services.startedAt, document: { document.value })
        table.registerPartnerMethods(services.partners)
        table.registerClientMethods(services.clients, keys: services.keys)
        table.registerLicenseMethods(services.licenses)
        table.registerJournalMethods(services.store)
        table.registerOutboxMethods(services.outbox)
        // IDA's license check answers `valid: false` for a key with a NUL (SPEC 2), never an error.
        table.transformMethods { method in
            method.name == LicenseValidateMethod.name ? method : method.checkingParams { try NULCheck.refuse(in: $0) }
        }
        document.value = table.openRPCDocument(title: "pms-gateway", version: services.version)
        return table
    }
}

/// The OpenRPC document, filled in once the table it describes is complete.
private final class DiscoveryDocument: Sendable {
    private let stored = Mutex<JSONValue>(.null)

    var value: JSONValue {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
