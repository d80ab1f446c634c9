import GatewayDelivery
import GatewayJSON
import GatewayServices
import GatewayStore
import JSONRPC

/// `outbox.list` and `outbox.retry` (SPEC 5).
enum OutboxMethods {
    static let entryMembers = ["seq", "target", "topic", "status", "attempts", "lastError", "createdAt", "deliveredAt"]

    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        let outbox = services.outbox
        table.register(
            MethodDescriptor(
                "outbox.list", summary: "Outbox entries after a seq, oldest first; payloads are never shown.",
                params: [
                    .string("status", required: false), .string("target", required: false),
                    .integer("after", required: false), .integer("limit", required: false),
                ],
                result: ["entries"],
                immediate: { params, _ in
                    let reader = ParamReader(params)
                    let query = OutboxService.ListQuery(
                        status: try reader.optionalCase("status", of: OutboxStatus.self),
                        target: try reader.optionalCase("target", of: OutboxMessage.Target.self),
                        after: try reader.optionalInt("after", range: 0...Int.max) ?? 0,
                        limit: try reader.optionalInt("limit", range: 1...1000) ?? 100)
                    return ["entries": .array(try outbox.list(query).map(json))]
                }
            )
        )
        table.register(
            MethodDescriptor(
                "outbox.retry", summary: "Put a failed entry back to pending, attempts reset (journalled).",
                params: [.integer("seq")], result: entryMembers
            ) { params, context in
                guard let seq = try ParamReader(params).optionalInt("seq", range: 1...Int.max) else {
                    throw GatewayError.invalidParameter("seq", "must not be null")
                }
                return json(try await outbox.retry(seq: seq, context: context.call))
            }
        )
    }

    static func json(_ entry: OutboxEntry) -> JSONValue {
        .object(
            JSONObject([
                ("seq", JSONValue(entry.seq)), ("target", .string(entry.target)), ("topic", .string(entry.topic)),
                ("status", .string(entry.status)), ("attempts", JSONValue(entry.attempts)),
                ("lastError", JSONValue(entry.lastError)), ("createdAt", .string(entry.createdAt)),
                ("deliveredAt", JSONValue(entry.deliveredAt)),
            ]))
    }
}

extension OutboxDeliverer {
    /// Passes a mutation's result through and wakes delivery: the mutation committed outbox rows.
    func afterCommit(_ result: JSONValue) -> JSONValue {
        notifyEnqueued()
        return result
    }
}
