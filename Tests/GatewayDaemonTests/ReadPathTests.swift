import Foundation
import GatewayJSON
import Testing

/// The read path that scales with cores (issue 13): answers cached beside each read connection
/// must never hide an acknowledged write, and the event loops are the configured number.
@Suite(.tags(.process)) struct ReadPathTests {
    /// Each read below is asked once before the write too, so a cache that outlived the write
    /// would answer it with the old state.
    @Test func everyCachedReadSeesTheWriteThatWasAcknowledgedBeforeIt() throws {
        let daemon = try TestDaemon()
        let writer = try daemon.client()
        let reader = try daemon.client()
        try ClientFlowTests.seed(writer)
        try LicenseFlowTests.seed(writer)
        let clientId = "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs"

        // Read twice (so a second answer could come from a cache), write on another connection,
        // read again.
        for _ in 0..<2 {
            #expect(try reader.errorCode("client.get", ["clientId": .string(clientId)]) == "PMS_ESI_004")
            #expect(try reader.call("system.health")["clients"] == 0)
        }
        #expect(try writer.call("client.create", ClientFlowTests.create())["clientId"] == .string(clientId))
        #expect(try reader.call("client.get", ["clientId": .string(clientId)])["status"] == "ACTIVE")
        #expect(try reader.call("system.health")["clients"] == 1)

        _ = try writer.call(
            "client.update",
            [
                "clientId": .string(clientId), "clientName": "RP", "logoUri": "https://rp.example.org/logo.png",
                "redirectUris": ["https://rp.example.org/cb"], "grantTypes": ["authorization_code"],
                "clientAuthMethods": ["private_key_jwt"], "status": "inactive",
            ])
        #expect(try reader.call("client.get", ["clientId": .string(clientId)])["status"] == "INACTIVE")

        let key = try #require(try writer.call("license.generate", ["mispId": "esignet"])["licenseKey"]?.stringValue)
        for _ in 0..<2 {
            #expect(try reader.call("license.validate", ["licenseKey": .string(key)])["valid"] == true)
        }
        _ = try writer.call(
            "license.update", ["providerId": "esignet", "licenseKey": .string(key), "licenseKeyStatus": "De-active"])
        let revoked = try reader.call("license.validate", ["licenseKey": .string(key)])
        #expect(revoked["valid"] == false)
        #expect(revoked["errorCode"] == "IDA-MPA-017")
    }

    /// SPEC 2: a read pipelined behind a write on the same connection sees the write, also when
    /// the same read was answered (and cached) just before it.
    @Test func aReadPipelinedBehindAWriteSeesIt() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try ClientFlowTests.seed(client)
        let get = #"{"clientId":"r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs"}"#
        try client.send(
            [
                RequestLine.call(id: 1, "client.get", params: get),
                RequestLine.call(id: 2, "client.create", params: ClientFlowTests.create().serialized()),
                RequestLine.call(id: 3, "client.get", params: get),
            ].joined(separator: "\n") + "\n")
        let replies = try client.readJSON(count: 3)
        #expect(replies[0]["error"]?["data"]?["errorCode"] == "PMS_ESI_004")
        #expect(replies[1]["result"]?["status"] == "ACTIVE")
        #expect(replies[2]["result"]?["status"] == "ACTIVE")
    }

    @Test(arguments: [("file", 3), ("environment", 2)])
    func eventLoopThreadsSetsHowManyLoopsServe(source: String, loops: Int) throws {
        let daemon =
            source == "file"
            ? try TestDaemon(overrides: ["server": ["eventLoopThreads": JSONValue(loops)]])
            : try TestDaemon(environment: ["SERVER_EVENTLOOPTHREADS": String(loops)])
        _ = try daemon.client().call("system.health")
        let names = try daemon.threads().map(\.name)
        #expect(names.filter { $0.hasPrefix("NIO-SGLTN-") }.count == loops)
        // The single writer, the thread that resumes its callers and the one that checkpoints are
        // named, so an operator's `top -H` tells them from Swift's pool.
        for name in ["pmsgw-writer", "pmsgw-resume", "pmsgw-checkpt"] {
            #expect(names.filter { $0 == name }.count == 1, "\(name): \(names)")
        }
    }
}
