import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC

/// `system.health` and `system.backup` (SPEC 4.1).
enum SystemMethods {
    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        table.register(
            MethodDescriptor(
                "system.health", summary: "Liveness and counts; always allowed.",
                result: [
                    "status", "version", "uptimeSeconds", "journalHead", "clients", "licenses", "outboxPending",
                    "outboxFailed",
                ],
                immediate: { _, _ in try health(services) }
            )
        )
        table.register(
            MethodDescriptor(
                "system.backup", summary: "A consistent online copy of the database (SQLite backup API).",
                params: [.string("path")], result: ["path", "bytes", "journalHead"]
            ) { params, _ in
                let backup = try await services.backups.backup(
                    to: try ParamReader(params).string("path", size: 1...4096))
                return [
                    "path": .string(backup.path), "bytes": JSONValue(backup.bytes),
                    "journalHead": JSONValue(backup.journalHead),
                ]
            }
        )
    }

    /// Counts come from the rowid maxima (clients and licenses are never deleted) and the outbox's
    /// trigger-kept counts, so health stays cheap enough for a tight probe loop at any size.
    private static func health(_ services: GatewayServiceSet) throws -> JSONValue {
        let row = try services.store.read { connection in
            try connection.queryFirst(
                """
                SELECT (SELECT ifnull(max(seq), 0) FROM journal), (SELECT ifnull(max(seq), 0) FROM clients),
                       (SELECT ifnull(max(seq), 0) FROM licenses),
                       (SELECT n FROM outbox_counts WHERE status = 'pending'),
                       (SELECT n FROM outbox_counts WHERE status = 'failed')
                """
            )
        }
        let uptime = ContinuousClock.now - services.startedAt
        return [
            "status": "ok",
            "version": .string(services.version),
            "uptimeSeconds": JSONValue(Int(uptime.components.seconds)),
            "journalHead": JSONValue(try row?.int(0) ?? 0),
            "clients": JSONValue(try row?.int(1) ?? 0),
            "licenses": JSONValue(try row?.int(2) ?? 0),
            "outboxPending": JSONValue(try row?.int(3) ?? 0),
            "outboxFailed": JSONValue(try row?.int(4) ?? 0),
        ]
    }
}
