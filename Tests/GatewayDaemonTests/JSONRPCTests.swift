import Foundation
import GatewayJSON
import Testing

/// SPEC 2 and 3, JSON-RPC 2.0 itself: notifications, exact ids, params by name, the error codes
/// for malformed requests.
@Suite(.tags(.process)) struct JSONRPCTests {
    @Test func notificationsGetNoReply() throws {
        let client = try TestDaemon().client()
        try client.send(RequestLine.notification("system.health") + "\n")
        try client.send(RequestLine.notification("no.such.method") + "\n")
        try client.send(RequestLine.notification("system.health", params: "[1]") + "\n")
        try client.send(RequestLine.call(id: 5, "system.health") + "\n")
        #expect(try client.readJSON()["id"] == 5)
    }

    @Test(arguments: ["9007199254740993", "-1.5e3", #""str""#, "null", "-0", "12345678901234567890123", #""""#])
    func idIsEchoedExactly(id: String) throws {
        let client = try TestDaemon().client()
        try client.send(RequestLine.call(id: id, "system.health") + "\n")
        try client.send(RequestLine.call(id: id, "no.such.method") + "\n")
        let success = try #require(try client.readLine())
        let failure = try #require(try client.readLine())
        #expect(success.hasPrefix(#"{"jsonrpc":"2.0","id":\#(id),"result":{"status":"ok""#), "\(success)")
        #expect(failure.hasPrefix(#"{"jsonrpc":"2.0","id":\#(id),"error":{"code":-32601"#), "\(failure)")
    }

    @Test func positionalParamsAreInvalidParams() throws {
        let client = try TestDaemon().client()
        try client.send(RequestLine.call(id: 1, "partner.get", params: #"["p1"]"#) + "\n")
        try client.send(RequestLine.call(id: 2, "system.health", params: "[]") + "\n")
        for id in [1, 2] {
            let reply = try client.readJSON()
            #expect(reply["id"] == JSONValue(id))
            #expect(reply.rpcErrorCode == -32602)
            #expect(reply.rpcErrorName == "GW_INVALID_PARAMS")
            #expect(reply["result"] == nil)
        }
        // Params by name work.
        try client.send(RequestLine.call(id: 3, "system.health", params: "{}") + "\n")
        #expect(try client.readJSON()["result"]?["status"] == "ok")
    }

    @Test func unknownMethodIsMethodNotFound() throws {
        let client = try TestDaemon().client()
        let reply = try client.request("partner.delete", ["partnerId": "p1"])
        #expect(reply.rpcErrorCode == -32601)
        #expect(reply.rpcErrorName == "GW_METHOD_NOT_FOUND")
        #expect(reply["error"]?["message"]?.stringValue?.isEmpty == false)
        #expect(reply["error"]?["data"]?["message"]?.stringValue?.isEmpty == false)
    }

    @Test(arguments: [
        #"{"id":7,"method":"system.health"}"#,
        #"{"jsonrpc":"1.0","id":7,"method":"system.health"}"#,
        #"{"jsonrpc":2.0,"id":7,"method":"system.health"}"#,
        #"{"jsonrpc":null,"id":7,"method":"system.health"}"#,
        #"{"jsonrpc":"2.0","id":7}"#,
        #"{"jsonrpc":"2.0","id":7,"method":42}"#,
    ])
    func malformedEnvelopeIsInvalidRequest(line: String) throws {
        let client = try TestDaemon().client()
        try client.send(line + "\n")
        let reply = try client.readJSON()
        #expect(reply.rpcErrorCode == -32600)
        #expect(reply.rpcErrorName == "GW_INVALID_REQUEST")
        #expect(reply["id"] == 7, "the id is recovered when it is valid")
        // The connection still works.
        try client.send(RequestLine.call(id: 8, "system.health") + "\n")
        #expect(try client.readJSON()["id"] == 8)
    }

    @Test func invalidIDTypeIsInvalidRequestWithNullID() throws {
        let client = try TestDaemon().client()
        try client.send(#"{"jsonrpc":"2.0","id":{"a":1},"method":"system.health"}"# + "\n")
        try client.send(#"{"jsonrpc":"2.0","id":[1],"method":"system.health"}"# + "\n")
        for _ in 0..<2 {
            let reply = try client.readJSON()
            #expect(reply.rpcErrorCode == -32600)
            #expect(reply["id"] == .null)
        }
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":5,"method":"system.health""#,
        #"{"jsonrpc":"2.0","id":5,"method":"system.health"}}"#,
        #"{"jsonrpc":"2.0","id":5,"method":'system.health'}"#,
        "not json at all",
        #"{"jsonrpc":"2.0","id":5,"method":"system.health",}"#,
        #"{"jsonrpc":"2.0","id":05,"method":"system.health"}"#,
        #"{"jsonrpc":"2.0","id":NaN,"method":"system.health"}"#,
    ])
    func invalidJSONIsParseErrorWithNullID(line: String) throws {
        let client = try TestDaemon().client()
        try client.send(line + "\n")
        let reply = try client.readJSON()
        #expect(reply.rpcErrorCode == -32700)
        #expect(reply.rpcErrorName == "GW_PARSE_ERROR")
        #expect(reply["id"] == .null)
        #expect(reply["jsonrpc"] == "2.0")
        try client.send(RequestLine.call(id: 6, "system.health") + "\n")
        #expect(try client.readJSON()["id"] == 6)
    }
}
