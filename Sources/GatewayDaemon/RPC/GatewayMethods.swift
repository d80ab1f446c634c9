import JSONRPC

/// The router's table: every method of SPEC 4, registered in the order the spec lists them.
/// `rpc.discover` is generated from this same table, so the two cannot drift.
enum GatewayMethods {
    static func table(_ services: GatewayServiceSet) -> MethodTable<RPCContext> {
        var table = MethodTable<RPCContext>()
        SystemMethods.register(in: &table, services)
        PartnerMethods.register(in: &table, services)
        JournalMethods.register(in: &table, services)
        let document = table.openRPCDocument(title: "pms-gateway", version: services.version)
        table.register(
            MethodDescriptor("rpc.discover", summary: "This OpenRPC document.", result: ["openrpc", "info", "methods"]) { _, _ in
                document
            }
        )
        return table
    }
}
