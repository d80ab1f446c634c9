import Foundation
import GatewayJSON
import Testing

/// SPEC 2, JSON-RPC batches: an array reply without the notifications' entries, nothing at all
/// when every entry was a notification, an error entry for each invalid entry.
@Suite(.tags(.process)) struct BatchTests {
    @Test func mixedBatchGetsOneEntryPerRequest() throws {
        let client = try TestDaemon().client()
        let batch = [
            RequestLine.call(id: 1, "system.health"),
            RequestLine.notification("system.health"),
            RequestLine.call(id: #""x""#, "no.such.method"),
            "1",
            #"{"foo":1}"#,
            RequestLine.notification("no.such.method"),
            RequestLine.call(id: 2, "system.health", params: "[]"),
        ]
        try client.send("[" + batch.joined(separator: ",") + "]\n")
        let reply = try client.readJSON()
        let entries = try #require(reply.arrayValue, "a batch reply is an array: \(reply.serialized())")
        #expect(entries.count == 5)
        let byID = { (id: JSONValue) in entries.first { $0["id"] == id } }
        #expect(byID(1)?["result"]?["status"] == "ok")
        #expect(byID("x")?.rpcErrorCode == -32601)
        #expect(byID(2)?.rpcErrorCode == -32602)
        let invalid = entries.filter { $0["id"] == .null }
        #expect(invalid.count == 2)
        #expect(invalid.allSatisfy { $0.rpcErrorCode == -32600 && $0.rpcErrorName == "GW_INVALID_REQUEST" })
        #expect(entries.allSatisfy { $0["jsonrpc"] == "2.0" })
    }

    @Test func emptyBatchIsOneInvalidRequestError() throws {
        let client = try TestDaemon().client()
        try client.send("[]\n")
        try client.send(" [ ] \n")
        for _ in 0..<2 {
            let reply = try client.readJSON()
            // One error object, not an array.
            #expect(reply.objectValue != nil)
            #expect(reply["id"] == .null)
            #expect(reply.rpcErrorCode == -32600)
        }
    }

    @Test func allNotificationBatchGetsNoReplyAtAll() throws {
        let client = try TestDaemon().client()
        let notifications = [
            RequestLine.notification("system.health"), RequestLine.notification("no.such.method"),
            RequestLine.notification("partner.get", params: #"{"partnerId":"nobody"}"#),
        ]
        try client.send("[" + notifications.joined(separator: ",") + "]\n")
        try client.send(RequestLine.call(id: 77, "system.health") + "\n")
        // The very next line is the following request's reply: the batch produced nothing.
        let next = try client.readJSON()
        #expect(next["id"] == 77)
        #expect(next["result"]?["status"] == "ok")
    }

    @Test func batchOfInvalidEntriesGetsAnErrorEach() throws {
        let client = try TestDaemon().client()
        try client.send(#"[1, "text", null, {"foo":1}, []]"# + "\n")
        let entries = try #require(try client.readJSON().arrayValue)
        #expect(entries.count == 5)
        #expect(entries.allSatisfy { $0["id"] == .null && $0.rpcErrorCode == -32600 })
    }

    @Test func batchRepliesKeepEveryIDExactly() throws {
        let client = try TestDaemon().client()
        let ids = ["9007199254740993", "-1.5e3", #""str""#, "null", "0", "1E+2"]
        try client.send("[" + ids.map { RequestLine.call(id: $0, "system.health") }.joined(separator: ",") + "]\n")
        let line = try #require(try client.readLine())
        for id in ids {
            #expect(line.contains(#""id":\#(id),"result""#), "id \(id) not echoed exactly in \(line.prefix(300))")
        }
    }
}
