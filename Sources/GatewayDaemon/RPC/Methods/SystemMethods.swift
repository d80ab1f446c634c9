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
        "outboxRejected", "auth", "licenseExpiresInDays",
    ]

    struct Report: Sendable {
        var version: String
        var uptimeSeconds: Int
        var counts: StoreCounts
        /// `auth.kind`, and the current token's state (never the token).
        var authKind: String?
        var auth: (validForSeconds: Int?, lastError: String?)
        /// Days until the soonest active license expires (SPEC 7.6); nil without one.
        var licenseExpiresInDays: Int?
    }

    static func encode(_ report: Report) -> JSONValue {
        [
            "status": "ok", "version": .string(report.version), "uptimeSeconds": JSONValue(report.uptimeSeconds),
            "journalHead": JSONValue(report.counts.journalHead), "clients": JSONValue(report.counts.clients),
            "licenses": JSONValue(report.counts.licenses), "outboxPending": JSONValue(report.counts.outboxPending),
            "outboxFailed": JSONValue(report.counts.outboxFailed),
            "outboxRejected": JSONValue(report.counts.outboxRejected),
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
        store: Store, backups: BackupService, preflight: Preflight, version: String, startedAt: ContinuousClock.Instant,
        tokens: TokenSource?, metrics: MetricsReference, document: @escaping @Sendable () -> JSONValue
    ) {
        register(
            MethodDescriptor(
                SystemHealthMethod.self,
                immediate: { _, _ in
                    let (counts, soonest) = try store.read(cachedAs: "health") { connection in
                        (try connection.counts(), try connection.soonestActiveLicense())
                    }
                    let now = UTCTimestamp.nowMilliseconds()
                    return SystemHealthMethod.Report(
                        version: version, uptimeSeconds: Int((ContinuousClock.now - startedAt).components.seconds),
                        counts: counts, authKind: tokens?.configuration.kind.rawValue,
                        auth: tokens?.status() ?? (nil, nil),
                        licenseExpiresInDays: soonest.map {
                            LicenseExpiryWatch.days(until: $0.expiresAtMilliseconds, now: now)
                        })
                }))
        register(MethodDescriptor(SystemPreflightMethod.self) { _, _ in try await preflight.run() })
        register(MethodDescriptor(SystemBackupMethod.self) { path, _ in try await backups.backup(to: path) })
        // Deferred: it counts the outbox's rows, a scan too long for an event loop.
        register(MethodDescriptor(SystemMetricsMethod.self) { _, _ in try metrics.text() })
        register(MethodDescriptor(DiscoverMethod.self, immediate: { _, _ in document() }))
    }
}
