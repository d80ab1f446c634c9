import GatewayDelivery
import GatewayJSON
import GatewayServices
import JSONRPC

/// `outbox.list` and `outbox.retry` (SPEC 5).
enum OutboxMethods {
    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        let store = services.store
        let delivery = services.delivery
        table.register(
            MethodDescriptor(
                "outbox.list", summary: "Outbox entries after a seq, oldest first; bodies are never shown.",
                params: [
                    .string("status", required: false), .string("target", required: false),
                    .integer("after", required: false), .integer("limit", required: false),
                ],
                result: ["entries"],
                immediate: { params, _ in try OutboxQueries.list(params, store: store) }
            )
        )
        table.register(
            MethodDescriptor(
                "outbox.retry", summary: "Put a failed entry back to pending, attempts reset (journalled).",
                params: [.integer("seq")],
                result: ["seq", "target", "topic", "status", "attempts", "lastError", "createdAt", "deliveredAt"]
            ) { params, context in
                let entry = try await OutboxQueries.retry(
                    params, store: store, peer: context.call.peer, requestId: context.call.requestId)
                delivery.notifyEnqueued()
                return entry
            }
        )
    }
}

extension OutboxDeliverer {
    /// Passes a mutation's result through and wakes delivery: the mutation committed outbox rows.
    func afterCommit(_ result: JSONValue) -> JSONValue {
        notifyEnqueued()
        return result
    }
}
