import Foundation
import GatewayJSON
import Testing

/// SPEC 4.1, `rpc.discover`: an OpenRPC document of every method, generated from the table the
/// router dispatches on.
@Suite(.tags(.process)) struct DiscoveryTests {
    @Test func everyListedMethodDispatches() throws {
        let client = try TestDaemon().client()
        let document = try client.call("rpc.discover")
        #expect(document["openrpc"]?.stringValue?.hasPrefix("1.2") == true)
        #expect(document["info"]?["title"]?.stringValue?.isEmpty == false)
        #expect(document["info"]?["version"]?.stringValue?.isEmpty == false)
        let methods = try #require(document["methods"]?.arrayValue)
        let names = methods.compactMap { $0["name"]?.stringValue }
        #expect(names.count == methods.count)
        #expect(Set(names).count == names.count, "no method listed twice")
        for required in ["system.health", "system.backup", "journal.list", "journal.verify"] {
            #expect(names.contains(required), "\(required) missing from \(names)")
        }
        for method in methods {
            #expect(method["params"]?.arrayValue != nil, "\(method.serialized())")
            #expect(method["result"] != nil)
        }
        // Each listed method is one the router knows: with `{}` none says "method not found".
        for name in names {
            let reply = try client.request(name, [:])
            #expect(reply.rpcErrorCode != -32601, "\(name) is listed but does not dispatch: \(reply.serialized())")
            #expect(reply["result"] != nil || reply["error"]?["data"]?["errorCode"] != nil)
        }
        // And a method that is not listed does not dispatch.
        #expect(try client.request("system.nothing", [:]).rpcErrorCode == -32601)
    }

    /// "An OpenRPC document of every method": `rpc.discover` is one of them.
    @Test func theDocumentListsRpcDiscoverItself() throws {
        let daemon = try TestDaemon()
        let document = try daemon.client().call("rpc.discover")
        let names = document["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("rpc.discover"), "\(names)")
    }
}
