import GatewayDelivery
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Logging
import NIOPosix

func openStore(_ directory: TemporaryDirectory) throws -> Store {
    try Store.open(path: directory.file("gateway.sqlite3"), logger: quietLogger)
}

/// Fast schedule for tests: retries after 10 ms, capped at 40 ms.
func testConfiguration(
    esignet: String?, ida: String?, token: String? = nil, maxAttempts: Int = 20,
    initialBackoff: Duration = .milliseconds(10), maxBackoff: Duration = .milliseconds(40), maxInFlight: Int = 16
) -> DeliveryConfiguration {
    DeliveryConfiguration(
        esignetBaseURL: esignet, esignetBearerTokenFile: token, idaWebsubHubURL: ida,
        requestTimeout: .seconds(5), initialBackoff: initialBackoff, maxBackoff: maxBackoff,
        maxAttempts: maxAttempts, maxInFlight: maxInFlight, pollInterval: .milliseconds(200))
}

/// A running deliverer; `stop()` cancels it the hard way (the crash window: nothing is drained).
struct RunningDeliverer {
    let deliverer: OutboxDeliverer
    let task: Task<Void, any Error>

    static func start(store: Store, configuration: DeliveryConfiguration, logger: Logger = LogCapture().logger)
        -> RunningDeliverer
    {
        let deliverer = OutboxDeliverer(
            store: store, configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger)
        let task = Task { try await deliverer.run() }
        return RunningDeliverer(deliverer: deliverer, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

// MARK: Messages as the client registry and license services write them

/// eSignet's create request for `clientId`, as the client registry queues it.
func esignetCreate(clientId: String) -> OutboxMessage {
    OutboxMessage(
        target: .esignet, topic: .oidcClientCreated, key: clientId,
        payload: [
            "clientId": .string(clientId), "clientName": "Health portal",
            "publicKey": ["kty": "RSA", "n": "AQAB", "e": "AQAB"], "relyingPartyId": "partner-1",
            "userClaims": ["email", "name"], "authContextRefs": ["mosip:idp:acr:generated-code"],
            "logoUri": "https://example.org/logo.png", "redirectUris": ["https://example.org/cb"],
            "grantTypes": ["authorization_code"], "clientAuthMethods": ["private_key_jwt"],
        ])
}

func esignetUpdate(clientId: String, status: String = "ACTIVE") -> OutboxMessage {
    OutboxMessage(
        target: .esignet, topic: .oidcClientUpdated, key: clientId,
        payload: [
            "logoUri": "https://example.org/logo.png", "redirectUris": ["https://example.org/cb"],
            "status": .string(status), "grantTypes": ["authorization_code"], "clientName": "Health portal",
            "userClaims": ["email"], "authContextRefs": ["mosip:idp:acr:generated-code"],
            "clientAuthMethods": ["private_key_jwt"],
        ])
}

/// An IDA event's data; `marker` tells rows apart in the receiver's log.
func idaEvent(
    _ topic: OutboxMessage.Topic, key: String, marker: String, data: JSONObject = ["clientData": ["clientId": "c1"]]
) -> OutboxMessage {
    var payload = data
    payload["marker"] = .string(marker)
    return OutboxMessage(target: .ida, topic: topic, key: key, payload: payload)
}

@discardableResult
func enqueue(_ store: Store, _ message: OutboxMessage) async throws -> Int {
    try await store.write { transaction in try transaction.enqueue(message) }
}

/// Enqueues eSignet's `POST` for a new client, as `client.create` does.
@discardableResult
func enqueueCreate(_ store: Store, clientId: String) async throws -> Int {
    try await enqueue(store, esignetCreate(clientId: clientId))
}

struct OutboxState: Sendable {
    var seq: Int
    var status: String
    var attempts: Int
    var lastError: String?
    var deliveredAt: String?
}

func outboxRows(_ store: Store) throws -> [OutboxState] {
    try store.read { connection in
        try connection.query("SELECT seq, status, attempts, last_error, delivered_at FROM outbox ORDER BY seq").map {
            row throws(StoreError) in
            OutboxState(
                seq: try row.int(0), status: try row.string(1), attempts: try row.int(2),
                lastError: try row.optionalString(3), deliveredAt: try row.optionalString(4))
        }
    }
}

func allDelivered(_ store: Store) throws -> Bool {
    try outboxRows(store).allSatisfy { $0.status == "delivered" }
}

/// The marker of an IDA request body's event data, or the clientId of an eSignet one.
func marker(_ request: RecordedRequest) -> String? {
    guard let body = try? JSONValue.parse(request.body) else { return nil }
    return body["event"]?["data"]?["marker"]?.stringValue ?? body["request"]?["clientId"]?.stringValue
}
