import GatewayDelivery
import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC
import Logging
import NIOPosix
import Synchronization

/// The router's table: every service of one daemon over its store, and every method of SPEC 4
/// registered in the order the spec lists them. `rpc.discover` is generated from this same table,
/// itself included, so the two cannot drift.
enum GatewayMethods {
    /// `blockingReads`: where a store whose reads wait on the network (PostgreSQL) answers the
    /// methods that would otherwise answer on the event loop; nil for SQLite.
    static func table(
        _ configuration: GatewayConfiguration, store: Store, mappings: CurrentMappings, delivery: OutboxDeliverer,
        metrics: MetricsReference, version: String, blockingReads: NIOThreadPool?, logger: Logger
    ) -> MethodTable<CallContext> {
        // Mutations that commit outbox rows wake delivery, so it starts without waiting for its scan.
        let wakeDelivery: @Sendable () -> Void = { delivery.notifyEnqueued() }
        let document = DiscoveryDocument()
        var table = MethodTable<CallContext>()
        let tokenCheck: (@Sendable () async -> String?)? =
            delivery.tokens == nil ? nil : { @Sendable in await delivery.tokenProblem() }
        let preflight = Preflight(
            store: store, mappings: mappings, clientRules: configuration.clients, licenseRules: configuration.license,
            propertiesFile: configuration.esignetPropertiesFile, export: configuration.licenseExport,
            expiryWarningDays: configuration.licenseExpiryWarningDays, tokenCheck: tokenCheck)
        table.registerSystemMethods(
            store: store, node: configuration.server.nodeName,
            backups: BackupService(
                store: store,
                directory: ConfinedDirectory(
                    directory: configuration.backupDirectory, protecting: configuration.daemonFiles,
                    allowsSubdirectories: false)),
            preflight: preflight,
            version: version, startedAt: .now, tokens: delivery.tokens, metrics: metrics, document: { document.value })
        table.registerPartnerMethods(PartnerRegistry(store: store, logger: logger))
        table.registerClientMethods(
            ClientRegistry(
                store: store, mappings: mappings, rules: configuration.clients, logger: logger,
                onEnqueue: wakeDelivery),
            keys: KeyHashingService(rules: configuration.clients))
        table.registerLicenseMethods(
            LicenseService(
                store: store, rules: configuration.license, propertiesFile: configuration.esignetPropertiesFile,
                exportDirectory: ConfinedDirectory(
                    directory: configuration.esignetExportDirectory, protecting: configuration.daemonFiles,
                    allowsSubdirectories: true),
                logger: logger, export: configuration.licenseExport, onEnqueue: wakeDelivery))
        table.registerJournalMethods(store)
        table.registerOutboxMethods(OutboxService(store: store, wakeDelivery: wakeDelivery))
        // IDA's license check answers `valid: false` for a key with a NUL (SPEC 2), never an error.
        table.transformMethods { method in
            method.name == LicenseValidateMethod.name ? method : method.checkingParams { try NULCheck.refuse(in: $0) }
        }
        if let blockingReads {
            table.transformMethods { method in
                method.offloadingImmediate { work in try await blockingReads.runIfActive(work) }
            }
        }
        document.value = table.openRPCDocument(title: "pms-gateway", version: version)
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

/// A method whose one param is a required string (an id, a key, a file name): its name and size
/// rule are all it declares; reading it is the same for all of them.
protocol SingleStringMethod: RPCMethod where Params == String {
    static var field: String { get }
    static var size: ClosedRange<Int> { get }
}

extension SingleStringMethod {
    static var params: [ParamDescriptor] { [.string(field)] }

    static func decode(_ params: JSONObject) throws -> String {
        try ParamReader(params).string(field, size: size)
    }
}
