import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC

/// `journal.list` and `journal.verify` (SPEC 6).
enum JournalMethods {
    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        let store = services.store
        table.register(
            MethodDescriptor(
                "journal.list", summary: "Journal entries after a seq, oldest first.",
                params: [
                    .integer("afterSeq", required: false), .string("entityId", required: false),
                    .integer("limit", required: false),
                ],
                result: ["entries", "nextAfterSeq"]
            ) { params, _ in
                let reader = ParamReader(params)
                let afterSeq = try reader.optionalInt("afterSeq", range: 0...Int.max) ?? 0
                let entityId = try reader.optionalString("entityId", size: 1...256)
                let limit = try reader.optionalInt("limit", range: 1...1000) ?? 100
                let page = try store.read { connection in
                    try connection.journalList(afterSeq: afterSeq, entityId: entityId, limit: limit)
                }
                return [
                    "entries": .array(page.entries), "nextAfterSeq": page.nextAfterSeq.map { JSONValue($0) } ?? .null,
                ]
            }
        )
        table.register(
            MethodDescriptor(
                "journal.verify", summary: "Recompute the hash chain; names the first bad seq.",
                result: ["ok", "entries", "headHash", "firstBadSeq"]
            ) { _, _ in
                try await store.readOnOwnThread { connection in try connection.journalVerify() }.jsonValue
            }
        )
    }
}
