import GatewayCrypto
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Synchronization
import Testing

@testable import GatewayDelivery

/// SPEC 7.1: tokens from MOSIP's auth manager or a client-credentials endpoint, sent to eSignet as
/// `Bearer` and to the hub as the `Authorization` cookie, fetched once for many deliveries,
/// refreshed before expiry and after a 401; topics registered before their first publish.
/// Tokens and secrets never reach a log line or `lastError`.
@Suite struct CredentialsTests {
    static let secret = "s3cret-Of-The-PMS-Client"

    /// A store, a secret file and a delivery configuration for `receiver` with `auth`.
    static func setUp(
        receiver: MockReceiver, tokenServer: MockReceiver, kind: AuthConfiguration.Kind,
        refreshBefore: Duration = .seconds(60)
    ) throws -> (TemporaryDirectory, Store, DeliveryConfiguration) {
        let directory = try TemporaryDirectory(prefix: "gateway-credentials-test")
        try directory.write("pms-secret", Self.secret + "\n")
        let store = try openStore(directory)
        var configuration = testConfiguration(esignet: receiver.baseURL, ida: receiver.baseURL + "/hub")
        configuration.auth = AuthConfiguration(
            kind: kind, tokenURL: tokenServer.baseURL + "/v1/authmanager/authenticate/clientidsecretkey",
            clientId: "mosip-pms-client", secretFile: directory.file("pms-secret"), appId: "partner",
            refreshBeforeExpiry: refreshBefore)
        return (directory, store, configuration)
    }

    static func authManager(token: String) -> MockReply {
        MockReply(body: #"{"response":{"status":"Success"},"errors":null}"#, headers: [("authorization", token)])
    }

    @Test func authManagerTokenReachesBothTargetsFetchedOnce() async throws {
        let tokenServer = try await MockReceiver.start { _, _ in Self.authManager(token: "TOKEN-am-1") }
        let receiver = try await MockReceiver.start(recordingRegistrations: true)
        let (directory, store, configuration) = try Self.setUp(
            receiver: receiver, tokenServer: tokenServer, kind: .authManager)
        _ = directory
        for index in 0..<50 { try await enqueue(store, esignetCreate(clientId: "c\(index)")) }
        try await enqueue(store, idaEvent(.oidcClientCreated, key: "c0", marker: "e1"))
        let logs = LogCapture()
        let running = RunningDeliverer.start(store: store, configuration: configuration, logger: logs.logger)
        try await eventually("all delivered") { try allDelivered(store) }
        await running.stop()

        // One fetch for 51 deliveries, in the auth manager's request shape.
        #expect(tokenServer.count == 1)
        let fetch = try #require(tokenServer.requests.first)
        #expect(fetch.method == "POST" && fetch.path == "/v1/authmanager/authenticate/clientidsecretkey")
        let body = try JSONValue.parse(fetch.body)
        #expect(body["id"] == "string" && body["version"] == "1.0" && body["metadata"] == [:])
        #expect(body["requesttime"]?.stringValue?.count == 24)
        #expect(
            body["request"] == ["clientId": "mosip-pms-client", "secretKey": .string(Self.secret), "appId": "partner"])

        let esignet = receiver.requests.filter { $0.path.hasPrefix("/v1/esignet") }
        #expect(esignet.count == 50)
        #expect(esignet.allSatisfy { $0.header("Authorization") == "Bearer TOKEN-am-1" })
        let hub = receiver.requests.filter { $0.path == "/hub" }
        try #require(hub.count == 2)
        // The topic is registered first, as a form, then the event is published with the cookie.
        #expect(hub[0].query == nil && hub[0].bodyText == "hub.mode=register&hub.topic=OIDC_CLIENT_CREATED")
        #expect(hub[0].header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(hub[1].queryItems.first.map { "\($0.0)=\($0.1)" } == "hub.mode=publish")
        for request in hub { #expect(request.header("Cookie") == "Authorization=TOKEN-am-1") }
        #expect(!logs.text.contains("TOKEN-am-1") && !logs.text.contains(Self.secret))
    }

    @Test func aSetCookieTokenIsUsedAndAnErrorsReplyIsAFailedAttempt() async throws {
        let tokenServer = try await MockReceiver.start { _, index in
            index == 0
                ? MockReply(
                    body: #"{"errors":[{"errorCode":"KER-ATH-403","message":"bad secret"}]}"#,
                    headers: [("authorization", "NOT-A-TOKEN")])
                : MockReply(body: #"{"errors":[]}"#, headers: [("Set-Cookie", "Authorization=TOKEN-cookie; Path=/")])
        }
        let receiver = try await MockReceiver.start(recordingRegistrations: true)
        let (directory, store, configuration) = try Self.setUp(
            receiver: receiver, tokenServer: tokenServer, kind: .authManager)
        _ = directory
        try await enqueue(store, esignetCreate(clientId: "c1"))
        let logs = LogCapture()
        let running = RunningDeliverer.start(store: store, configuration: configuration, logger: logs.logger)
        try await eventually("delivered on the second attempt") { try allDelivered(store) }
        await running.stop()
        let row = try #require(try outboxRows(store).first)
        #expect(row.attempts == 2)
        #expect(row.lastError == "token fetch failed: auth manager errors KER-ATH-403")
        #expect(receiver.requests.map { $0.header("Authorization") } == ["Bearer TOKEN-cookie"])
        #expect(!logs.text.contains(Self.secret) && !logs.text.contains("TOKEN-cookie"))
    }

    @Test func clientCredentialsFormAndRefreshBeforeExpiry() async throws {
        // A token that lives 60 s with a 60 s refresh margin is due at once: every use fetches.
        let lifetime = Mutex(60)
        let tokenServer = try await MockReceiver.start { _, index in
            MockReply(body: #"{"access_token":"cc-\#(index)","expires_in":\#(lifetime.withLock { $0 })}"#)
        }
        let receiver = try await MockReceiver.start(recordingRegistrations: true)
        let (directory, store, configuration) = try Self.setUp(
            receiver: receiver, tokenServer: tokenServer, kind: .clientCredentials)
        _ = directory
        for index in 0..<2 {
            try await enqueue(store, esignetCreate(clientId: "c\(index)"))
            let running = RunningDeliverer.start(store: store, configuration: configuration)
            try await eventually("delivered") { try allDelivered(store) }
            await running.stop()
        }
        let fetch = try #require(tokenServer.requests.first)
        #expect(fetch.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(
            fetch.bodyText
                == "grant_type=client_credentials&client_id=mosip-pms-client&client_secret=\(Self.secret)")
        #expect(receiver.requests.map { $0.header("Authorization") } == ["Bearer cc-0", "Bearer cc-1"])

        // A token with time to spare is reused.
        lifetime.withLock { $0 = 3600 }
        let running = RunningDeliverer.start(store: store, configuration: configuration)
        for index in 2..<6 { try await enqueue(store, esignetCreate(clientId: "c\(index)")) }
        running.deliverer.notifyEnqueued()
        try await eventually("delivered") { try allDelivered(store) && receiver.count == 6 }
        await running.stop()
        #expect(tokenServer.count == 3)
        #expect(Set(receiver.requests.dropFirst(2).map { $0.header("Authorization") }) == ["Bearer cc-2"])
    }

    @Test func a401FetchesOnceMoreAndASecond401FailsTheAttempt() async throws {
        let tokenServer = try await MockReceiver.start { _, index in Self.authManager(token: "t\(index + 1)") }
        let refuseAll = Mutex(false)
        let receiver = try await MockReceiver.start(recordingRegistrations: true) { request, _ in
            refuseAll.withLock { $0 } || request.header("Authorization") != "Bearer t2"
                ? MockReply(status: .unauthorized, body: "") : .ok
        }
        let (directory, store, configuration) = try Self.setUp(
            receiver: receiver, tokenServer: tokenServer, kind: .authManager)
        _ = directory
        try await enqueue(store, esignetCreate(clientId: "c1"))
        var running = RunningDeliverer.start(store: store, configuration: configuration)
        try await eventually("delivered") { try allDelivered(store) }
        await running.stop()
        #expect(try outboxRows(store).first?.attempts == 1, "the refresh happens inside one attempt")
        #expect(receiver.requests.map { $0.header("Authorization") } == ["Bearer t1", "Bearer t2"])

        refuseAll.withLock { $0 = true }
        try await enqueue(store, esignetUpdate(clientId: "c1"))
        running = RunningDeliverer.start(store: store, configuration: configuration)
        try await eventually("a failed attempt") { try outboxRows(store).last?.attempts ?? 0 >= 1 }
        await running.stop()
        let row = try #require(try outboxRows(store).last)
        #expect(row.lastError == "HTTP 401")
        #expect(receiver.count >= 4, "the refused token is replaced and the request sent once more")
    }

    @Test func aTopicAlreadyRegisteredIsFineAndAFailedRegistrationIsRetried() async throws {
        let tokenServer = try await MockReceiver.start { _, _ in Self.authManager(token: "t") }
        let registrations = Mutex(0)
        let receiver = try await MockReceiver.start(recordingRegistrations: true) { request, _ in
            guard request.bodyText.hasPrefix("hub.mode=register") else { return .ok }
            let attempt = registrations.withLock { count in
                count += 1
                return count
            }
            return attempt == 1
                ? MockReply(status: .internalServerError, body: "down")
                : MockReply(status: .badRequest, body: #"{"message":"Topic OIDC_CLIENT_UPDATED already exists"}"#)
        }
        let (directory, store, configuration) = try Self.setUp(
            receiver: receiver, tokenServer: tokenServer, kind: .authManager)
        _ = directory
        try await enqueue(store, idaEvent(.oidcClientUpdated, key: "c1", marker: "e1"))
        try await enqueue(store, idaEvent(.oidcClientUpdated, key: "c2", marker: "e2"))
        let running = RunningDeliverer.start(store: store, configuration: configuration)
        try await eventually("both published") { try allDelivered(store) }
        await running.stop()
        let rows = try outboxRows(store)
        #expect(rows.contains { $0.lastError == "registering topic OIDC_CLIENT_UPDATED at the hub: HTTP 500" })
        let publishes = receiver.requests.filter { $0.query?.contains("hub.mode=publish") == true }
        #expect(publishes.count == 2)
        #expect(registrations.withLock { $0 } >= 2)
    }

    @Test func aJWTsExpiryIsItsExpClaim() {
        let exp = UTCTimestamp.nowMilliseconds() / 1000 + 120
        let payload = Base64.encodeURL(Array(#"{"sub":"pms","exp":\#(exp)}"#.utf8))
        #expect(TokenSource.jwtExpiry("eyJhbGciOiJSUzI1NiJ9.\(payload).c2ln") == exp)
        #expect(TokenSource.jwtExpiry("opaque-token") == nil)
    }
}
