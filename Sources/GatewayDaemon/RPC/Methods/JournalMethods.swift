import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC

/// `journal.list` and `journal.verify` (SPEC 6).
enum JournalListMethod: RPCMethod {
    static let name = "journal.list"
    static let summary = "Journal entries after a seq, oldest first."
    static let params: [ParamDescriptor] = [
        .integer("afterSeq", required: false), .string("entityId", required: false), .integer("limit", required: false),
    ]
    static let result = ["entries", "nextAfterSeq"]

    struct Query: Sendable {
        var afterSeq: Int
        var entityId: String?
        var limit: Int
    }

    static func decode(_ params: JSONObject) throws -> Query {
        let reader = ParamReader(params)
        return Query(
            afterSeq: try reader.optionalInt("afterSeq", range: 0...Int.max) ?? 0,
            entityId: try reader.optionalString("entityId", size: 1...256),
            limit: try reader.optionalInt("limit", range: 1...1000) ?? 100)
    }

    /// Every hashed field plus `hash`, so anyone can recompute the chain from this output alone.
    static func encode(_ page: (entries: [JournalEntry], nextAfterSeq: Int?)) -> JSONValue {
        ["entries": .array(page.entries.map(\.json)), "nextAfterSeq": page.nextAfterSeq.map { JSONValue($0) } ?? .null]
    }
}

enum JournalVerifyMethod: RPCMethod {
    typealias Params = Void
    static let name = "journal.verify"
    static let summary = "Recompute the hash chain; names the first bad seq."
    static let result = ["ok", "entries", "headHash", "firstBadSeq"]
    static func encode(_ verification: JournalVerification) -> JSONValue {
        var object = JSONObject([
            ("ok", .bool(verification.ok)), ("entries", JSONValue(verification.entries)),
            ("headHash", .string(verification.headHash)),
        ])
        if let firstBadSeq = verification.firstBadSeq { object["firstBadSeq"] = JSONValue(firstBadSeq) }
        return .object(object)
    }
}

extension MethodTable<CallContext> {
    mutating func registerJournalMethods(_ store: Store) {
        register(
            MethodDescriptor(
                JournalListMethod.self,
                deferred: { query, _ in
                    try store.read { connection in
                        try connection.journalList(
                            afterSeq: query.afterSeq, entityId: query.entityId, limit: query.limit)
                    }
                }))
        // A long scan: on its own thread, never holding a pooled read connection from the hot paths.
        register(
            MethodDescriptor(
                JournalVerifyMethod.self,
                deferred: { _, _ in
                    try await store.readOnOwnThread { connection in try connection.journalVerify() }
                }))
    }
}
