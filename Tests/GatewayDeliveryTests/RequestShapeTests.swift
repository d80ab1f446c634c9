import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@testable import GatewayDelivery

/// What goes on the wire: eSignet's client-management calls and the WebSub publish (SPEC 5).
@Suite struct RequestShapeTests {
    @Test func esignetCreateAndUpdateCarryTheSpecBodiesAndTheBearerToken() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        try directory.write("token", "  s3cr3t-token\n")
        try await enqueue(store, esignetCreate(clientId: "c1"))
        try await enqueue(store, esignetUpdate(clientId: "c1"))

        let before = UTCTimestamp.now()
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(esignet: receiver.baseURL + "/", ida: nil, token: directory.file("token")))
        try await eventually("both delivered") { try allDelivered(store) }
        await running.stop()

        let requests = receiver.requests
        try #require(requests.count == 2)
        #expect(requests[0].method == "POST")
        #expect(requests[0].path == "/v1/esignet/client-mgmt/oidc-client")
        #expect(requests[1].method == "PUT")
        #expect(requests[1].path == "/v1/esignet/client-mgmt/oidc-client/c1")
        for (request, message) in zip(requests, [esignetCreate(clientId: "c1"), esignetUpdate(clientId: "c1")]) {
            #expect(request.query == nil)
            #expect(request.header("Authorization") == "Bearer s3cr3t-token")
            #expect(request.header("Content-Type") == "application/json")
            let sent = try JSONValue.parse(request.body)
            // The request object is passed through untouched; requestTime is stamped at send time.
            #expect(sent.objectValue?.keys == ["requestTime", "request"])
            #expect(sent["request"] == .object(message.payload))
            let requestTime = try #require(sent["requestTime"]?.stringValue)
            #expect(requestTime.count == 24 && requestTime.hasSuffix("Z") && requestTime.contains("."))
            #expect(requestTime >= before, "requestTime must be the send time, not the enqueue time")
        }
        let rows = try outboxRows(store)
        #expect(rows.map(\.attempts) == [1, 1])
        #expect(rows.allSatisfy { $0.deliveredAt != nil })
    }

    @Test func noBearerHeaderWithoutATokenFileAndTheTokenIsReReadPerAttempt() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        try await enqueue(store, esignetCreate(clientId: "c1"))
        var running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: receiver.baseURL, ida: nil))
        try await eventually("delivered") { try allDelivered(store) }
        await running.stop()
        #expect(receiver.requests.first?.header("Authorization") == nil)

        // Rotated token: the first attempt with the old one is refused, the retry uses the new one.
        try directory.write("token", "old\n")
        receiver.respond { request, _ in
            request.header("Authorization") == "Bearer new" ? .ok : MockReply(status: .unauthorized, body: "")
        }
        try await enqueue(store, esignetUpdate(clientId: "c1"))
        running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(
                esignet: receiver.baseURL, ida: nil, token: directory.file("token"), initialBackoff: .milliseconds(200))
        )
        try await eventually("first refusal") { receiver.count >= 2 }
        try directory.write("token", "new\n")
        try await eventually("delivered with the new token") { try allDelivered(store) }
        await running.stop()
        #expect(try outboxRows(store).last?.lastError == "HTTP 401")
    }

    @Test(arguments: ["OIDC_CLIENT_CREATED", "OIDC_CLIENT_UPDATED", "MISP_LICENSE_GENERATED", "MISP_LICENSE_UPDATED"])
    func websubPublishHasModeAndTopicInTheQueryAndTheEventModelAsBody(topic: String) async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start { _, _ in .accepted }
        let message = idaEvent(try #require(OutboxMessage.Topic(rawValue: topic)), key: "k1", marker: "e1")
        let seq = try await enqueue(store, message)
        let running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: nil, ida: receiver.baseURL + "/hub/"))
        try await eventually("delivered") { try allDelivered(store) }
        await running.stop()

        let request = try #require(receiver.requests.first)
        #expect(receiver.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/hub/")
        #expect(request.queryItems.map { "\($0.0)=\($0.1)" } == ["hub.mode=publish", "hub.topic=\(topic)"])
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Authorization") == nil)
        // MOSIP's EventModel around the stored data: the event id is the row's for every retry,
        // the time is the change's, the transaction is the attempt's.
        let row = try #require(
            try store.read { try $0.query("SELECT message_id, created_at FROM outbox WHERE seq = ?", [SQLValue(seq)]) }
                .first)
        let sent = try JSONValue.parse(request.body)
        #expect(sent.objectValue?.keys == ["publisher", "topic", "publishedOn", "event"])
        #expect(sent["publisher"] == "PartnerManagementServiceImpl")
        #expect(sent["topic"] == .string(topic))
        #expect(sent["publishedOn"] == .string(try row.string(1)))
        let event = try #require(sent["event"]?.objectValue)
        #expect(event.keys == ["id", "transactionId", "type", "timestamp", "data"])
        #expect(event["id"] == .string(try row.string(0)))
        #expect(event["transactionId"]?.stringValue?.count == 36 && event["transactionId"] != event["id"])
        #expect(
            event["type"]
                == [
                    "namespace": "io.mosip.pmp.partner.manager.service.impl.PartnerManagementServiceImpl",
                    "name": "PartnerManagementServiceImpl",
                ])
        #expect(event["timestamp"] == sent["publishedOn"])
        #expect(event["data"] == .object(message.payload))
    }

    @Test func aHubURLWithAQueryKeepsIt() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        try await enqueue(store, idaEvent(.mispLicenseUpdated, key: "m1", marker: "1"))
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(esignet: nil, ida: receiver.baseURL + "/websub/publish?tenant=a"))
        try await eventually("delivered") { try allDelivered(store) }
        await running.stop()
        #expect(receiver.requests.first?.query == "tenant=a&hub.mode=publish&hub.topic=MISP_LICENSE_UPDATED")
    }
}

/// SPEC 7.2: `esignet.clientAPI` picks the path, and the request carries what that API has a place
/// for: `clientNameLangMap` from `oauth-client` on, `additionalConfig` with `client` only.
@Suite struct ESignetClientAPITests {
    @Test(arguments: ESignetClientAPI.allCases)
    func pathAndMembersFollowTheAPI(api: ESignetClientAPI) async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        var create = esignetCreate(clientId: "c1")
        create.payload["clientNameLangMap"] = ["eng": "Health portal"]
        create.payload["additionalConfig"] = ["require_pkce": true]
        var update = esignetUpdate(clientId: "c1")
        update.payload["clientNameLangMap"] = ["eng": "Health portal"]
        try await enqueue(store, create)
        try await enqueue(store, update)
        var configuration = testConfiguration(esignet: receiver.baseURL, ida: nil)
        configuration.esignetClientAPI = api
        let running = RunningDeliverer.start(store: store, configuration: configuration)
        try await eventually("delivered") { try allDelivered(store) }
        await running.stop()

        let requests = receiver.requests
        try #require(requests.count == 2)
        #expect(requests[0].method == "POST" && requests[0].path == "/v1/esignet/client-mgmt/\(api.rawValue)")
        #expect(requests[1].method == "PUT" && requests[1].path == "/v1/esignet/client-mgmt/\(api.rawValue)/c1")
        let sent = try JSONValue.parse(requests[0].body)["request"]
        #expect((sent?["clientNameLangMap"] != nil) == (api != .oidcClient))
        #expect((sent?["additionalConfig"] != nil) == (api == .client))
        #expect(sent?["clientId"] == "c1")
        let updated = try JSONValue.parse(requests[1].body)["request"]
        #expect((updated?["clientNameLangMap"] != nil) == (api != .oidcClient))
    }
}
