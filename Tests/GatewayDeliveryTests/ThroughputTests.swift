import GatewayDelivery
import GatewayJSON
import GatewayStore
import Testing

/// Delivery keeps up with the write rate (target: ≥ 1,000 creates/s with delivery enabled).
@Suite(.serialized) struct ThroughputTests {
    @Test func twoThousandRowsToAReceiverThatAnswersAtOnce() async throws {
        let directory = try TemporaryDirectory()
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
    }

    /// The client.create shape end to end: concurrent writers, each commit holding a journal entry
    /// plus the eSignet and IDA rows, `notifyEnqueued()` after each commit, delivery running.
    @Test func createsWithDeliveryEnabled() async throws {
        let directory = try TemporaryDirectory()
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
                            try transaction.journal(
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
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
