import GatewayDelivery
import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Synchronization
import Testing

/// In order per key, at least once across a crash.
@Suite struct OrderingAndCrashTests {
    /// Asserts that, per key, the first arrival of each row follows seq order and that no row
    /// arrived before the previous row of its key was accepted (its last attempt before the
    /// next row is a success).
    static func checkOrder(_ requests: [RecordedRequest], accepted: (RecordedRequest, Int) -> Bool) {
        var lastSeen: [String: Int] = [:]  // key -> highest index seen
        var acceptedUpTo: [String: Int] = [:]
        for (position, request) in requests.enumerated() {
            guard let id = marker(request) else { continue }
            let parts = id.split(separator: "-")
            let key = String(parts[0])
            let index = Int(parts[1])!
            let previous = lastSeen[key] ?? 0
            #expect(index <= previous + 1, "\(id) arrived before \(key)-\(previous + 1)")
            if index == previous + 1 {
                #expect((acceptedUpTo[key] ?? 0) >= previous, "\(id) sent before \(key)-\(previous) was accepted")
            }
            lastSeen[key] = max(previous, index)
            if accepted(request, position) { acceptedUpTo[key] = max(acceptedUpTo[key] ?? 0, index) }
        }
    }

    @Test func perKeyOrderHoldsWhileAnotherKeyFailsAndRecovers() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        // Key "a" is refused for its first three attempts; key "b" always works.
        let refusals = Counter()
        let receiver = try await MockReceiver.start { request, _ in
            marker(request)?.hasPrefix("a-") == true && refusals.next() < 3 ? .serverError : .ok
        }
        for index in 1...4 {
            for key in ["a", "b"] {
                try await enqueue(store, idaEvent(.oidcClientUpdated, key: key, marker: "\(key)-\(index)"))
            }
        }
        // a's three retries wait 100 + 200 + 400 ms: long enough for b's four rows, one after
        // another, even on a loaded machine, so the order below shows the rule and not the timing.
        let running = RunningDeliverer.start(
            store: store,
            configuration: testConfiguration(
                esignet: nil, ida: receiver.baseURL, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(400))
        )
        try await eventually("all delivered") { try allDelivered(store) }
        await running.stop()

        let requests = receiver.requests
        #expect(requests.count == 8 + 3)
        let order = requests.compactMap(marker)
        #expect(order.filter { $0.hasPrefix("a-") } == ["a-1", "a-1", "a-1", "a-1", "a-2", "a-3", "a-4"])
        #expect(order.filter { $0.hasPrefix("b-") } == ["b-1", "b-2", "b-3", "b-4"])
        // b is not held up by a's failures: all of b is through before a's retries end.
        #expect(order.lastIndex(of: "b-4")! < order.lastIndex(of: "a-2")!)
        Self.checkOrder(requests) { _, position in position >= 3 || !(order[position].hasPrefix("a-")) }
        #expect(try outboxRows(store).map(\.attempts).reduce(0, +) == 11)
    }

    /// The crash window: the deliverer is cancelled the hard way (nothing drained, nothing more
    /// recorded) while rows are on the wire, then a new deliverer runs on the same file.
    @Test func aCrashDuringDeliveryLosesNothingAndResendsOnlyRowsThatWereInFlight() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        // Slow receiver: every request is held 150 ms, so at any moment up to 8 rows are on the wire.
        let receiver = try await MockReceiver.start { _, _ in MockReply(delay: .milliseconds(150)) }
        let keys = 40
        let perKey = 3
        for index in 1...perKey {
            for key in 0..<keys {
                try await enqueue(store, idaEvent(.oidcClientUpdated, key: "k\(key)", marker: "k\(key)-\(index)"))
            }
        }
        let configuration = testConfiguration(esignet: nil, ida: receiver.baseURL, maxInFlight: 8)
        let first = RunningDeliverer.start(store: store, configuration: configuration)
        try await eventually("some delivered, some in flight") {
            try outboxRows(store).filter { $0.status == "delivered" }.count >= 20
        }
        await first.stop()  // the "SIGKILL"
        // A request written just before the stop may still be on its way into the receiver; what
        // was sent before the crash is what it has once nothing more arrives.
        var arrived = receiver.requests.count
        try await eventually("the receiver has every request sent before the crash") {
            try await Task.sleep(for: .milliseconds(100))
            defer { arrived = receiver.requests.count }
            return receiver.requests.count == arrived
        }

        let sentBeforeCrash = Set(receiver.requests.compactMap(marker))
        let rowsAfterCrash = try outboxRows(store)
        let bodies = try store.read { connection in try connection.query("SELECT seq, body FROM outbox") }
        var markerBySeq: [Int: String] = [:]
        for row in bodies {
            markerBySeq[try row.int(0)] = try JSONValue.parse(try row.string(1))["marker"]?.stringValue
        }
        let stillPending = Set(rowsAfterCrash.filter { $0.status == "pending" }.compactMap { markerBySeq[$0.seq] })
        let inFlightAtCrash = sentBeforeCrash.intersection(stillPending)
        #expect(rowsAfterCrash.contains { $0.status == "pending" }, "the crash must hit mid-run")

        receiver.respond { _, _ in .ok }
        let second = RunningDeliverer.start(store: store, configuration: configuration)
        try await eventually("all delivered after restart") { try allDelivered(store) }
        await second.stop()

        let received = receiver.requests.compactMap(marker)
        var counts: [String: Int] = [:]
        for id in received { counts[id, default: 0] += 1 }
        let all = Set(markerBySeq.values)
        #expect(all.count == keys * perKey)
        #expect(all.allSatisfy { counts[$0, default: 0] >= 1 }, "every row delivered at least once")
        let duplicates = Set(counts.filter { $0.value > 1 }.keys)
        #expect(duplicates.isSubset(of: inFlightAtCrash), "only rows in flight at the crash are sent twice")
        #expect(duplicates.count <= configuration.maxInFlight * 2)
        #expect(counts.values.allSatisfy { $0 <= 2 })
        print(
            "crash test: \(sentBeforeCrash.count) rows sent before the crash, \(inFlightAtCrash.count) unrecorded, \(duplicates.count) sent twice: \(duplicates.sorted())"
        )
        Self.checkOrder(receiver.requests) { _, _ in true }
    }

    @Test func gracefulShutdownFinishesAndRecordsWhatIsOnTheWire() async throws {
        let directory = try TemporaryDirectory(prefix: "gateway-delivery-test")
        let store = try openStore(directory)
        let receiver = try await MockReceiver.start { _, _ in MockReply(delay: .milliseconds(200)) }
        for key in 0..<4 {
            try await enqueue(store, idaEvent(.oidcClientCreated, key: "k\(key)", marker: "k\(key)-1"))
        }
        let deliverer = OutboxDeliverer(
            store: store, configuration: testConfiguration(esignet: nil, ida: receiver.baseURL),
            eventLoopGroup: .singletonMultiThreadedEventLoopGroup, logger: LogCapture().logger)
        try await GracefulShutdownHarness.run(deliverer, after: { receiver.count == 4 })
        let rows = try outboxRows(store)
        #expect(rows.allSatisfy { $0.status == "delivered" }, "in-flight rows were finished and recorded")
        #expect(receiver.count == 4)
    }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
