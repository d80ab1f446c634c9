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

// MARK: Rows as the client registry and license services write them

func esignetCreate(clientId: String) -> JSONValue {
    [
        "method": "POST", "path": "/v1/esignet/client-mgmt/oidc-client",
        "body": [
            "requestTime": "2020-01-01T00:00:00.000Z",
            "request": [
                "clientId": .string(clientId), "clientName": "Health portal",
                "publicKey": ["kty": "RSA", "n": "AQAB", "e": "AQAB"], "relyingPartyId": "partner-1",
                "userClaims": ["email", "name"], "authContextRefs": ["mosip:idp:acr:generated-code"],
                "logoUri": "https://example.org/logo.png", "redirectUris": ["https://example.org/cb"],
                "grantTypes": ["authorization_code"], "clientAuthMethods": ["private_key_jwt"],
            ],
        ],
    ]
}

func esignetUpdate(clientId: String, status: String = "ACTIVE") -> JSONValue {
    [
        "method": "PUT", "path": .string("/v1/esignet/client-mgmt/oidc-client/\(clientId)"),
        "body": [
            "requestTime": "2020-01-01T00:00:00.000Z",
            "request": [
                "logoUri": "https://example.org/logo.png", "redirectUris": ["https://example.org/cb"],
                "status": .string(status), "grantTypes": ["authorization_code"], "clientName": "Health portal",
                "userClaims": ["email"], "authContextRefs": ["mosip:idp:acr:generated-code"],
                "clientAuthMethods": ["private_key_jwt"],
            ],
        ],
    ]
}

/// A MOSIP EventModel; `id` tells rows apart in the receiver's log.
func eventModel(topic: String, id: String, data: JSONValue = ["clientData": ["clientId": "c1"]]) -> JSONValue {
    [
        "publisher": "PARTNER_MANAGEMENT_SERVICE", "topic": .string(topic), "publishedOn": "2026-11-24T10:00:00.000Z",
        "event": [
            "id": .string(id), "transactionId": .string("tx-\(id)"),
            "type": ["namespace": "mosip.pms", "name": "pms"], "timestamp": "2026-11-24T10:00:00.000Z", "data": data,
        ],
    ]
}

@discardableResult
func enqueue(_ store: Store, target: String, topic: String, key: String, body: JSONValue) async throws -> Int {
    try await store.write { transaction in
        try transaction.enqueueOutbox(target: target, topic: topic, orderingKey: key, body: body)
    }
}

/// Enqueues eSignet's `POST` for a new client, as `client.create` does.
@discardableResult
func enqueueCreate(_ store: Store, clientId: String) async throws -> Int {
    try await enqueue(
        store, target: "esignet", topic: "OIDC_CLIENT_CREATED", key: clientId, body: esignetCreate(clientId: clientId))
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

/// The `event.id` of an IDA request body, or the clientId of an eSignet one.
func marker(_ request: RecordedRequest) -> String? {
    guard let body = try? JSONValue.parse(request.body) else { return nil }
    return body["event"]?["id"]?.stringValue ?? body["request"]?["clientId"]?.stringValue
}
