import GatewayDelivery
import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC

/// `system.health`, `system.preflight`, `system.backup`, `system.metrics` and `rpc.discover`
/// (SPEC 4.1, 10).
enum SystemHealthMethod: RPCMethod {
    typealias Params = Void
    static let name = "system.health"
    static let summary = "Liveness and counts; always allowed."
    static let result = [
        "status", "version", "uptimeSeconds", "journalHead", "clients", "licenses", "outboxPending", "outboxFailed",
        "outboxRejected", "auth", "licenseExpiresInDays", "store", "node",
    ]

    struct Report: Sendable {
        var version: String
        var uptimeSeconds: Int
        /// Nil while the database cannot be read: health still answers, with `status: "unavailable"`.
        var counts: StoreCounts?
        var store: StoreEngine
        var node: String
        /// `auth.kind`, and the current token's state (never the token).
        var authKind: String?
        var auth: (validForSeconds: Int?, lastError: String?)
        /// Days until the soonest active license expires (SPEC 7.6); nil without one.
        var licenseExpiresInDays: Int?
    }

    static func encode(_ report: Report) -> JSONValue {
        let counts = report.counts
        func count(_ value: (StoreCounts) -> Int) -> JSONValue { counts.map { JSONValue(value($0)) } ?? .null }
        return [
            "status": counts == nil ? "unavailable" : "ok", "version": .string(report.version),
            "uptimeSeconds": JSONValue(report.uptimeSeconds),
            "journalHead": count(\.journalHead), "clients": count(\.clients), "licenses": count(\.licenses),
            "outboxPending": count(\.outboxPending), "outboxFailed": count(\.outboxFailed),
            "outboxRejected": count(\.outboxRejected),
            "store": .string(report.store.rawValue), "node": .string(report.node),
            "auth": [
                "kind": JSONValue(report.authKind),
                "tokenValidForSeconds": report.auth.validForSeconds.map { JSONValue($0) } ?? .null,
                "lastError": JSONValue(report.auth.lastError),
            ],
            "licenseExpiresInDays": report.licenseExpiresInDays.map { JSONValue($0) } ?? .null,
        ]
    }
}

enum SystemPreflightMethod: RPCMethod {
    typealias Params = Void
    static let name = "system.preflight"
    static let summary = "Whether a login through eSignet can work now: each prerequisite, with what to do about it."
    static let result = ["ok", "checks"]
    static func encode(_ report: PreflightReport) -> JSONValue { report.json }
}

enum SystemBackupMethod: SingleStringMethod {
    static let name = "system.backup"
    static let summary = "A consistent online copy of the database (SQLite backup API) in the backup directory."
    static let field = "path"
    static let size = 1...4096
    static let result = ["path", "bytes", "journalHead"]
    static func encode(_ backup: BackupService.Backup) -> JSONValue {
        ["path": .string(backup.path), "bytes": JSONValue(backup.bytes), "journalHead": JSONValue(backup.journalHead)]
    }
}

enum SystemMetricsMethod: RPCMethod {
    typealias Params = Void
    static let name = "system.metrics"
    static let summary = "The Prometheus text exposition (format 0.0.4) of the daemon's metrics (SPEC 10)."
    static let result = ["text"]
    static func encode(_ text: String) -> JSONValue { ["text": .string(text)] }
}

enum DiscoverMethod: RPCMethod {
    typealias Params = Void
    static let name = "rpc.discover"
    static let summary = "This OpenRPC document."
    static let result = ["openrpc", "info", "methods"]
    static func encode(_ document: JSONValue) -> JSONValue { document }
}

extension MethodTable<CallContext> {
    mutating func registerSystemMethods(
        store: Store, node: String, backups: BackupService, preflight: Preflight, version: String,
        startedAt: ContinuousClock.Instant, tokens: TokenSource?, metrics: MetricsReference,
        document: @escaping @Sendable () -> JSONValue
    ) {
        register(
            MethodDescriptor(
                SystemHealthMethod.self,
                immediate: { _, _ in
                    let read: (counts: StoreCounts, soonest: LicenseExpiry?)?
                    do {
                        read = try store.read(cachedAs: "health") { connection in
                            (try connection.counts(), try connection.soonestActiveLicense())
                        }
                    } catch let error as StoreError where error.isTransient {
                        // Liveness must answer while the database is away (SPEC 9).
                        read = nil
                    }
                    let now = UTCTimestamp.nowMilliseconds()
                    return SystemHealthMethod.Report(
                        version: version, uptimeSeconds: Int((ContinuousClock.now - startedAt).components.seconds),
                        counts: read?.counts, store: store.engine, node: node,
                        authKind: tokens?.configuration.kind.rawValue,
                        auth: tokens?.status() ?? (nil, nil),
                        licenseExpiresInDays: read?.soonest.map {
                            LicenseExpiryWatch.days(until: $0.expiresAtMilliseconds, now: now)
                        })
                }))
        register(MethodDescriptor(SystemPreflightMethod.self, deferred: { _, _ in try await preflight.run() }))
        register(MethodDescriptor(SystemBackupMethod.self, deferred: { path, _ in try await backups.backup(to: path) }))
        // Deferred: it counts the outbox's rows, a scan too long for an event loop.
        register(MethodDescriptor(SystemMetricsMethod.self, deferred: { _, _ in try metrics.text() }))
        register(MethodDescriptor(DiscoverMethod.self, immediate: { _, _ in document() }))
    }
}
