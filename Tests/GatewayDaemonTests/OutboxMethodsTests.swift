import Foundation
import GatewayJSON
import Testing

/// `outbox.list` and `outbox.retry` through the socket: their params are read like every other
/// method's (`PMS_COR_001` naming the field) and their refusals map to SPEC 3's codes.
@Suite struct OutboxMethodsTests {
    @Test func paramsAndRefusals() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try LicenseFlowTests.seed(client)
        _ = try client.call("license.generate", ["mispId": "esignet"])
        let entries = try #require(try client.call("outbox.list")["entries"]?.arrayValue)
        try #require(entries.count == 1)
        #expect(
            entries[0].objectValue?.keys == [
                "seq", "target", "topic", "status", "attempts", "lastError", "createdAt", "deliveredAt",
            ])
        #expect(entries[0]["topic"] == "MISP_LICENSE_GENERATED" && entries[0]["status"] == "pending")

        for (params, message) in [
            (["status": "done"] as JSONValue, "must be one of pending, delivered, failed, rejected :request.status"),
            (["target": 1], "must be a string :request.target"),
            (["target": "pms"], "must be one of esignet, ida :request.target"),
            (["limit": 0], "must be between 1 and 1000 :request.limit"),
            (["after": -1], "must be at least 0 :request.after"),
        ] {
            let reply = try client.request("outbox.list", params)
            #expect(reply.rpcErrorCode == -32602)
            #expect(reply["error"]?["data"]?["message"] == .string("Invalid request parameter - " + message))
        }
        let notFailed = try client.request("outbox.retry", ["seq": 1])
        #expect(notFailed.rpcErrorCode == -32002 && notFailed.rpcErrorName == "GW_OUTBOX_NOT_FAILED")
        let unknown = try client.request("outbox.retry", ["seq": 99])
        #expect(unknown.rpcErrorCode == -32001 && unknown.rpcErrorName == "GW_NOT_FOUND")
        let text = try client.request("outbox.retry", ["seq": "1"])
        #expect(text["error"]?["data"]?["message"] == "Invalid request parameter - must be an integer :request.seq")
        #expect(try client.request("outbox.retry").rpcErrorName == "PMS_COR_001")
    }
}
