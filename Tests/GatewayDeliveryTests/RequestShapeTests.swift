import GatewayDelivery
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

/// What goes on the wire: eSignet's client-management calls and the WebSub publish (SPEC 5).
@Suite struct RequestShapeTests {
    @Test func esignetCreateAndUpdateCarryTheSpecBodiesAndTheBearerToken() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        try directory.write("token", "  s3cr3t-token\n")
        try await enqueueCreate(store, clientId: "c1")
        try await enqueue(
            store, target: "esignet", topic: "OIDC_CLIENT_UPDATED", key: "c1", body: esignetUpdate(clientId: "c1"))

        let before = Timestamp.now()
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
        for (request, row) in zip(requests, [esignetCreate(clientId: "c1"), esignetUpdate(clientId: "c1")]) {
            #expect(request.query == nil)
            #expect(request.header("Authorization") == "Bearer s3cr3t-token")
            #expect(request.header("Content-Type") == "application/json")
            let sent = try JSONValue.parse(request.body)
            // The request object is passed through untouched; requestTime is stamped at send time.
            #expect(sent["request"] == row["body"]?["request"])
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
        try await enqueueCreate(store, clientId: "c1")
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
        try await enqueue(
            store, target: "esignet", topic: "OIDC_CLIENT_UPDATED", key: "c1", body: esignetUpdate(clientId: "c1"))
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
        let event = eventModel(topic: topic, id: "e1")
        try await enqueue(store, target: "ida", topic: topic, key: "k1", body: event)
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
        #expect(try JSONValue.parse(request.body) == event)
    }

    @Test func aHubURLWithAQueryKeepsIt() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        try await enqueue(
            store, target: "ida", topic: "MISP_LICENSE_UPDATED", key: "m1",
            body: eventModel(topic: "MISP_LICENSE_UPDATED", id: "1"))
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(esignet: nil, ida: receiver.baseURL + "/websub/publish?tenant=a"))
        try await eventually("delivered") { try allDelivered(store) }
        await running.stop()
        #expect(receiver.requests.first?.query == "tenant=a&hub.mode=publish&hub.topic=MISP_LICENSE_UPDATED")
    }
}
