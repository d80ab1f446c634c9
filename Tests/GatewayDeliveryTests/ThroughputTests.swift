import GatewayDelivery
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

/// Delivery of a large backlog and under a create load: every row reaches its receiver exactly
/// once, at the first attempt, and delivery runs while the writers are still writing. (A
/// client's eSignet row and its IDA row are independent queues, SPEC 5, so neither waits for the
/// other.) Rates are printed, never asserted: the targets (≥ 1,000 creates/s with delivery
/// enabled) are `make bench`'s.
@Suite(.serialized) struct ThroughputTests {
    /// Checks what the receiver got for clients `<prefix>0`...: one eSignet create (marker
    /// `<prefix>N`, to eSignet's path) and one IDA event (marker `<prefix>N-1`, a WebSub publish)
    /// per client, each once; and every row delivered at its first attempt.
    static func expectEachRowOnce(clients: Int, prefix: String, receiver: MockReceiver, store: Store) throws {
        var expected: [String: String] = [:]
        for index in 0..<clients {
            expected["\(prefix)\(index)"] = "/v1/esignet/client-mgmt/oidc-client"
            expected["\(prefix)\(index)-1"] = "publish"
        }
        var received: [String: String] = [:]
        var duplicates: [String] = []
        for request in receiver.requests {
            let id = marker(request) ?? "?"
            if received[id] != nil { duplicates.append(id) }
            received[id] = request.query?.hasPrefix("hub.mode=publish") == true ? "publish" : request.path
        }
        #expect(duplicates.isEmpty, "delivered twice: \(duplicates.prefix(10))")
        #expect(received.count == expected.count)
        #expect(received == expected, "missing or misrouted rows")
        let rows = try outboxRows(store)
        #expect(rows.count == clients * 2)
        #expect(rows.allSatisfy { $0.status == "delivered" && $0.attempts == 1 && $0.lastError == nil })
    }

    @Test func twoThousandRowsToAReceiverThatAnswersAtOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        let rows = 2000
        try await store.write { transaction in
            for index in 0..<rows / 2 {
                try transaction.enqueue(esignetCreate(clientId: "c\(index)"))
                try transaction.enqueue(idaEvent(.oidcClientCreated, key: "c\(index)", marker: "c\(index)-1"))
            }
        }
        let started = ContinuousClock.now
        let running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: receiver.baseURL, ida: receiver.baseURL))
        try await eventually("all delivered", timeout: .seconds(60)) { try allDelivered(store) }
        let elapsed = ContinuousClock.now - started
        await running.stop()
        let rate = Double(rows) / elapsed.seconds
        print("delivery backlog: \(rows) rows in \(elapsed) = \(Int(rate)) rows/s (receivers got \(receiver.count))")
        #expect(receiver.count == rows)
        try Self.expectEachRowOnce(clients: rows / 2, prefix: "c", receiver: receiver, store: store)
    }

    /// The client.create shape end to end: concurrent writers, each commit holding a journal entry
    /// plus the eSignet and IDA rows, `notifyEnqueued()` after each commit, delivery running.
    @Test func createsWithDeliveryEnabled() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start()
        let running = RunningDeliverer.start(
            store: store, configuration: testConfiguration(esignet: receiver.baseURL, ida: receiver.baseURL))
        let creates = 3000
        let writers = 32
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in stride(from: writer, to: creates, by: writers) {
                        let clientId = "client-\(index)"
                        try await store.write { transaction in
                            transaction.journal(
                                JournalDraft(
                                    method: "client.create", entityType: "client", entityId: clientId,
                                    peer: Peer(uid: 0, gid: 0, pid: 1), requestId: "\(index)",
                                    change: ["clientId": .string(clientId)]))
                            try transaction.enqueue(esignetCreate(clientId: clientId))
                            try transaction.enqueue(
                                idaEvent(.oidcClientCreated, key: clientId, marker: "\(clientId)-1"))
                        }
                        running.deliverer.notifyEnqueued()
                    }
                }
            }
            try await group.waitForAll()
        }
        let written = ContinuousClock.now - started
        let receivedWhileWriting = receiver.count
        let backlogAtEnd = try storeRead(store).pending
        try await eventually("all delivered", timeout: .seconds(60)) { try allDelivered(store) }
        let elapsed = ContinuousClock.now - started
        await running.stop()
        print(
            "creates with delivery: \(creates) creates written in \(written) (\(Int(Double(creates) / written.seconds)) creates/s), "
                + "all \(creates * 2) rows delivered after \(elapsed) (\(Int(Double(creates) / elapsed.seconds)) creates/s end to end, "
                + "\(Int(Double(creates * 2) / elapsed.seconds)) rows/s); backlog when writing ended: \(backlogAtEnd) rows"
        )
        #expect(receiver.count == creates * 2)
        // Delivery did not wait for the writers to finish: rows went out while they were writing.
        #expect(receivedWhileWriting > 0, "nothing was delivered while \(creates) creates were written")
        #expect(backlogAtEnd < creates * 2)
        #expect(try store.read { try $0.journalVerify() }.entries == creates)
        try Self.expectEachRowOnce(clients: creates, prefix: "client-", receiver: receiver, store: store)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
