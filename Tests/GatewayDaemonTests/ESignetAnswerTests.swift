import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 7.3 through a real daemon and a real HTTP eSignet: with `waitSeconds` the caller sees
/// eSignet's answer (-32012 with eSignet's code when it refuses), and a client eSignet refused to
/// create does not hold its key, so the fixed request replaces it.
@Suite(.tags(.process)) struct ESignetAnswerTests {
    @Test func aWaitingCallerSeesESignetsAnswerAndARefusedCreateCanBeReplaced() throws {
        let directory = try TemporaryDirectory()
        let mosip = try DeliveryCrashTests.Receiver(
            directory: directory, script: "fake_mosip.py", arguments: ["unused-secret"])
        let daemon = try TestDaemon(
            overrides: ["esignet": ["baseURL": .string("http://127.0.0.1:\(mosip.port)")]], directory: directory)
        let client = try daemon.client()
        try ClientFlowTests.seed(client)
        var params = try #require(ClientFlowTests.create(key: FakeKeys.rsa(2)).objectValue)
        params["name"] = "REJECT-ME portal"
        params["waitSeconds"] = 20

        let refused = try client.request("client.create", .object(params))
        #expect(refused["error"]?["code"] == -32012)
        #expect(refused["error"]?["message"] == "eSignet rejected the client")
        #expect(refused["error"]?["data"]?["errorCode"] == "invalid_redirect_uri")
        #expect(refused["error"]?["data"]?["message"] == "invalid_redirect_uri (Invalid redirect URI)")
        let clientId = try #require(try client.call("key.clientId", ["publicKey": FakeKeys.rsa(2)])["clientId"])
        #expect(try client.call("client.get", ["clientId": clientId])["esignet"]?["state"] == "rejected")

        // The same key again, fixed: it replaces the refused client instead of PMS_ESI_001.
        params["name"] = "Fixed portal"
        let replaced = try client.call("client.create", .object(params))
        #expect(replaced["clientId"] == clientId)
        #expect(replaced["esignet"]?["state"] == "delivered" && replaced["esignet"]?["attempts"] == 1)
        #expect(try client.call("client.get", ["clientId": clientId])["name"] == "Fixed portal")
        let rows = try client.call("outbox.list", ["target": "esignet", "limit": 100])["entries"]?.arrayValue ?? []
        #expect(rows.map { $0["status"] } == ["delivered"], "the refused call went with the client it described")
        let journal = try client.call("journal.list", ["limit": 100])["entries"]?.arrayValue ?? []
        let creates = journal.filter { $0["method"] == "client.create" }
        #expect(creates.count == 2 && creates.last?["change"]?["replacedRejected"] == true)

        // eSignet now has the client: the key is held again.
        params["name"] = "Another"
        #expect(try client.errorCode("client.create", .object(params)) == "PMS_ESI_001")

        // update waits too; without a wait the reply stays {clientId, status}.
        let update: JSONValue = [
            "clientId": clientId, "clientName": "Renamed", "logoUri": "https://rp.example.org/logo.png",
            "redirectUris": ["https://rp.example.org/cb"], "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"], "status": "ACTIVE", "waitSeconds": 20,
        ]
        #expect(try client.call("client.update", update)["esignet"]?["state"] == "delivered")
        var noWait = try #require(update.objectValue)
        noWait["waitSeconds"] = nil
        #expect(try client.call("client.update", .object(noWait)) == ["clientId": clientId, "status": "ACTIVE"])
        noWait["waitSeconds"] = 31
        #expect(try client.errorCode("client.update", .object(noWait)) == "PMS_COR_001")
    }

    @Test func whenTimeIsUpTheClientIsAnsweredAsPending() throws {
        // No eSignet configured: the row waits, so the one-second wait runs out.
        let client = try TestDaemon().client()
        try ClientFlowTests.seed(client)
        var params = try #require(ClientFlowTests.create(key: FakeKeys.rsa(3)).objectValue)
        params["waitSeconds"] = 1
        let created = try client.call("client.create", .object(params))
        #expect(created["status"] == "ACTIVE")
        #expect(created["esignet"]?["state"] == "pending" && created["esignet"]?["attempts"] == 0)
    }
}
