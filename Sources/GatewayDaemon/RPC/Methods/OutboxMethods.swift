import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC

/// `outbox.list` and `outbox.retry` (SPEC 5).
enum OutboxListMethod: RPCMethod {
    static let name = "outbox.list"
    static let summary = "Outbox entries after a seq, oldest first; payloads are never shown."
    static let params: [ParamDescriptor] = [
        .string("status", required: false), .string("target", required: false), .integer("after", required: false),
        .integer("limit", required: false),
    ]
    static let result = ["entries"]
    static func decode(_ params: JSONObject) throws -> OutboxService.ListQuery {
        let reader = ParamReader(params)
        return OutboxService.ListQuery(
            status: try reader.optionalCase("status", of: OutboxStatus.self),
            target: try reader.optionalCase("target", of: OutboxMessage.Target.self),
            after: try reader.optionalInt("after", range: 0...Int.max) ?? 0,
            limit: try reader.optionalInt("limit", range: 1...1000) ?? 100)
    }
    static func encode(_ entries: [OutboxEntry]) -> JSONValue { ["entries": .array(entries.map(entry))] }

    static func entry(_ entry: OutboxEntry) -> JSONValue {
        .object(
            JSONObject([
                ("seq", JSONValue(entry.seq)), ("target", .string(entry.target)), ("topic", .string(entry.topic)),
                ("status", .string(entry.status)), ("attempts", JSONValue(entry.attempts)),
                ("lastError", JSONValue(entry.lastError)), ("createdAt", .string(entry.createdAt)),
                ("deliveredAt", JSONValue(entry.deliveredAt)),
            ]))
    }
}

enum OutboxRetryMethod: RPCMethod {
    static let name = "outbox.retry"
    static let summary = "Put a failed entry back to pending, attempts reset (journalled)."
    static let params: [ParamDescriptor] = [.integer("seq")]
    static let result = ["seq", "target", "topic", "status", "attempts", "lastError", "createdAt", "deliveredAt"]
    static func decode(_ params: JSONObject) throws -> Int {
        guard let seq = try ParamReader(params).optionalInt("seq", range: 1...Int.max) else {
            throw GatewayError.invalidParameter("seq", "must not be null")
        }
        return seq
    }
    static func encode(_ entry: OutboxEntry) -> JSONValue { OutboxListMethod.entry(entry) }
}

extension MethodTable<CallContext> {
    mutating func registerOutboxMethods(_ outbox: OutboxService) {
        register(MethodDescriptor(OutboxListMethod.self, immediate: { query, _ in try outbox.list(query) }))
        register(
            MethodDescriptor(
                OutboxRetryMethod.self,
                deferred: { seq, context in
                    try await outbox.retry(seq: seq, context: context)
                }))
    }
}
