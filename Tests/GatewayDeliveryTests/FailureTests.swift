import GatewayDelivery
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

/// Failed attempts, backoff, `failed`, `outbox.retry`, null URLs and what reaches the log.
@Suite struct FailureTests {
    /// SPEC 7.3: eSignet's `errors` list (whatever the status) and 400/403/404/409/422 are
    /// rejections: not retried, eSignet's words in `lastError`, the key held until `outbox.retry`.
    /// 5xx, 408 and 429 are transient; the hub rejects with a 4xx other than 401, 408 and 429.
    @Test(arguments: [
        (MockReply.esignetErrors, OutboxMessage.Target.esignet, "rejected", "invalid_client_id (Invalid client id)"),
        (MockReply(status: .conflict, body: ""), .esignet, "rejected", "HTTP 409"),
        (MockReply(status: .notFound, body: ""), .esignet, "rejected", "HTTP 404"),
        (MockReply(status: .serviceUnavailable, body: ""), .esignet, "pending", "HTTP 503"),
        (MockReply(status: .tooManyRequests, body: ""), .esignet, "pending", "HTTP 429"),
        (MockReply(status: .badRequest, body: ""), .ida, "rejected", "HTTP 400"),
        (MockReply(status: .requestTimeout, body: ""), .ida, "pending", "HTTP 408"),
        (MockReply(status: .internalServerError, body: ""), .ida, "pending", "HTTP 500"),
    ])
    func outcomesAreDeliveredRejectedOrTransient(
        reply: MockReply, target: OutboxMessage.Target, status: String, lastError: String
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start { _, index in index == 0 ? reply : .ok }
        let first =
            target == .esignet ? esignetCreate(clientId: "c1") : idaEvent(.oidcClientCreated, key: "c1", marker: "1")
        let second =
            target == .esignet ? esignetUpdate(clientId: "c1") : idaEvent(.oidcClientUpdated, key: "c1", marker: "2")
        try await enqueue(store, first)
        try await enqueue(store, second)
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(
                esignet: receiver.baseURL, ida: receiver.baseURL, initialBackoff: .milliseconds(300)))
        try await eventually("first attempt recorded") { try outboxRows(store).first?.attempts == 1 }
        let afterFirst = try #require(try outboxRows(store).first)
        #expect(afterFirst.status == status)
        #expect(afterFirst.lastError == lastError)
        if status == "rejected" {
            // Held: the later row of the key waits, and nothing is sent again.
            try await enqueue(store, esignetCreate(clientId: "probe"))
            running.deliverer.notifyEnqueued()
            try await eventually("probe delivered") { try outboxRows(store).last?.status == "delivered" }
            #expect(try outboxRows(store)[1].status == "pending" && outboxRows(store)[1].attempts == 0)
            #expect(receiver.requests.filter { marker($0) != "probe" }.count == 1)
            let code = try store.read {
                try $0.query("SELECT error_code FROM outbox WHERE seq = 1")[0].optionalString(0)
            }
            #expect(code == (reply.body.contains("invalid_client_id") ? "invalid_client_id" : lastError))
            #expect(
                try store.read { try $0.query("SELECT n FROM outbox_counts WHERE status = 'rejected'")[0].int(0) } == 1)
        } else {
            try await eventually("delivered on retry") { try allDelivered(store) }
            #expect(try outboxRows(store).first?.attempts == 2)
        }
        await running.stop()
    }

    @Test func backoffDoublesUpToTheCapThenTheRowFailsAndBlocksItsKeyUntilRetry() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        // Every request fails but the probe's, a row of another key enqueued once c1's create has
        // failed for good: its delivery shows the deliverer scanned again after the failure.
        let receiver = try await MockReceiver.start { request, _ in marker(request) == "probe" ? .ok : .serverError }
        let first = try await enqueue(store, esignetCreate(clientId: "c1"))
        try await enqueue(store, esignetUpdate(clientId: "c1"))
        let configuration = testConfiguration(
            esignet: receiver.baseURL, ida: nil, maxAttempts: 5, initialBackoff: .milliseconds(50),
            maxBackoff: .milliseconds(200))
        let logs = LogCapture()
        let running = RunningDeliverer.start(store: store, configuration: configuration, logger: logs.logger)
        try await eventually("failed") { try outboxRows(store).first?.status == "failed" }
        let probe = try await enqueue(store, esignetCreate(clientId: "probe"))
        try await eventually("probe delivered") { try outboxRows(store).last?.status == "delivered" }
        #expect(probe == 3)

        let rows = try outboxRows(store)
        #expect(rows[0].attempts == 5)
        #expect(rows[0].lastError == "HTTP 500")
        #expect(rows[1].status == "pending" && rows[1].attempts == 0, "the update must wait behind its failed create")
        let requests = receiver.requests.filter { marker($0) != "probe" }
        #expect(requests.count == 5)
        #expect(requests.allSatisfy { $0.method == "POST" })
        // Waits of 50, 100, 200, 200 ms (doubling, capped).
        let gaps = zip(requests.dropFirst(), requests).map { $0.receivedAt - $1.receivedAt }
        for (gap, expected) in zip(gaps, [50, 100, 200, 200]) {
            // The backoff is a floor the deliverer waits out; how much later a loaded machine
            // gets to the retry is not the deliverer's doing, so only the floor is asserted.
            #expect(gap >= .milliseconds(expected - 5), "gap \(gap) shorter than \(expected) ms")
        }
        let failureLines = logs.lines.filter { $0.contains("attempt failed") || $0.contains("failed for good") }
        #expect(failureLines.count == 5, "one log line per failed attempt")
        let counts = try storeRead(store)
        #expect(counts.pending == 1 && counts.failed == 1)

        // outbox.retry: back to pending with attempts reset; the receiver recovered meanwhile.
        receiver.respond { _, _ in .ok }
        guard case .retried(let retried) = try await store.write({ try $0.retryOutbox(seq: first) }) else {
            Issue.record("the failed row was not retried")
            return
        }
        #expect(retried.status == "pending")
        #expect(retried.attempts == 0)
        running.deliverer.notifyEnqueued()
        try await eventually("both delivered after retry") { try allDelivered(store) }
        await running.stop()
        let after = receiver.requests.filter { marker($0) != "probe" }.dropFirst(5)
        #expect(after.map(\.method) == ["POST", "PUT"], "create before update, also after a retry")
        #expect(try outboxRows(store).map(\.attempts) == [1, 1, 1])
    }

    @Test func aTargetWithANullURLKeepsItsRowsPending() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        try await enqueue(store, esignetCreate(clientId: "c1"))
        try await enqueue(store, idaEvent(.oidcClientCreated, key: "c1", marker: "1"))
        let running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: nil, ida: receiver.baseURL))
        try await eventually("ida delivered") { try outboxRows(store)[1].status == "delivered" }
        // A second IDA row, found by the deliverer's own poll (no notification): once it is
        // delivered, the eSignet row has been passed over by a later scan too.
        try await enqueue(store, idaEvent(.oidcClientCreated, key: "c2", marker: "2"))
        try await eventually("second ida row delivered by a later scan") {
            try outboxRows(store)[2].status == "delivered"
        }
        await running.stop()
        let esignet = try outboxRows(store)[0]
        #expect(esignet.status == "pending" && esignet.attempts == 0 && esignet.lastError == nil)
        #expect(receiver.count == 2)
        #expect(receiver.requests.allSatisfy { $0.query?.contains("hub.mode=publish") == true }, "only IDA rows sent")
    }

    @Test func failureLogsAndLastErrorNeverCarryBodiesOrTokens() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start { _, _ in MockReply(status: .badGateway, body: "upstream down") }
        try directory.write("token", "TOKEN-abc-123\n")
        let license = "LicenseKeyABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd"
        let data: JSONObject = [
            "mispLicenseData": ["mispId": "m1", "licenseKey": .string(license), "mispStatus": "ACTIVE"]
        ]
        try await enqueue(store, idaEvent(.mispLicenseGenerated, key: "m1", marker: "1", data: data))
        try await enqueue(store, esignetCreate(clientId: "c1"))
        let logs = LogCapture()
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(
                esignet: receiver.baseURL, ida: receiver.baseURL, token: directory.file("token"), maxAttempts: 2),
            logger: logs.logger)
        try await eventually("both failed") { try outboxRows(store).allSatisfy { $0.status == "failed" } }
        await running.stop()
        let text = logs.lines.joined(separator: "\n")
        #expect(logs.lines.filter { $0.contains("seq=") && $0.contains("error=HTTP 502") }.count == 4)
        for secret in [license, "TOKEN-abc-123", "mispLicenseData", "publicKey", "Health portal"] {
            #expect(!text.contains(secret), "log leaks \(secret)")
        }
        #expect(try outboxRows(store).allSatisfy { $0.lastError == "HTTP 502" })
    }

    @Test func aMalformedRowFailsAtOnceWithoutBlockingOtherKeys() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        // Rows this build cannot send: an unknown topic, a payload that is not an object, and a
        // license event addressed to eSignet.
        try await store.write { transaction in
            try transaction.execute(
                """
                INSERT INTO outbox (target, topic, ordering_key, body, message_id, status, attempts, created_at,
                                    next_attempt_ms)
                VALUES ('esignet', 'CLIENT_DELETED', 'bad', '{}', 'm1', 'pending', 0, 'x', 0),
                       ('esignet', 'OIDC_CLIENT_CREATED', 'bad2', '[1]', 'm2', 'pending', 0, 'x', 0)
                """)
            try transaction.enqueue(
                OutboxMessage(target: .esignet, topic: .mispLicenseGenerated, key: "bad3", payload: [:]))
        }
        try await enqueue(store, esignetCreate(clientId: "good"))
        let running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: receiver.baseURL, ida: nil))
        try await eventually("settled") { try outboxRows(store).allSatisfy { $0.status != "pending" } }
        await running.stop()
        let rows = try outboxRows(store)
        for (row, error) in zip(
            rows,
            [
                "outbox row 1 is not a message this build can send",
                "outbox row 2 is not a message this build can send",
                "MISP_LICENSE_GENERATED is not an eSignet call",
            ])
        {
            #expect(row.status == "failed" && row.attempts == 1)
            #expect(row.lastError == error)
        }
        #expect(rows[3].status == "delivered")
        #expect(receiver.count == 1)
    }

    @Test func anUnreachableReceiverIsAFailedAttemptWithATransportError() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        let deadURL = receiver.baseURL
        try await receiver.stop()
        try await enqueue(store, idaEvent(.oidcClientCreated, key: "c1", marker: "1"))
        let running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: nil, ida: deadURL, maxAttempts: 2))
        try await eventually("failed") { try outboxRows(store).first?.status == "failed" }
        await running.stop()
        let row = try #require(try outboxRows(store).first)
        #expect(row.attempts == 2)
        #expect(row.lastError?.isEmpty == false)
    }
}

func storeRead(_ store: Store) throws -> (pending: Int, failed: Int) {
    try store.read { try $0.outboxCounts() }
}
