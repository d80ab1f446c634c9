import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 10: `system.metrics` and `metrics.textfile`, read back with a strict exposition parser.
@Suite(.tags(.process)) struct MetricsTests {
    /// SPEC 10's table: family → (type, label names besides a histogram's `le`).
    static let families: [String: (String, Set<String>)] = [
        "pmsgw_requests_total": ("counter", ["method", "outcome"]),
        "pmsgw_request_errors_total": ("counter", ["method", "error_code"]),
        "pmsgw_request_duration_seconds": ("histogram", ["method"]),
        "pmsgw_connections_open": ("gauge", []),
        "pmsgw_commit_batch_size": ("histogram", []),
        "pmsgw_commit_duration_seconds": ("histogram", []),
        "pmsgw_outbox_rows": ("gauge", ["target", "status"]),
        "pmsgw_delivery_attempts_total": ("counter", ["target", "outcome"]),
        "pmsgw_delivery_duration_seconds": ("histogram", ["target"]),
        "pmsgw_license_expires_in_days": ("gauge", []),
    ]

    static func metrics(_ client: RPCClient) throws -> PrometheusText {
        try PrometheusText(try #require(try client.call("system.metrics")["text"]?.stringValue))
    }

    @Test func everyFamilyIsThereWithItsTypeAndLabelsAndCountersMoveWithCalls() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let before = try Self.metrics(client)
        // The license gauge is absent without an active license; a request error needs a failed call.
        #expect(before.types["pmsgw_license_expires_in_days"] == nil)

        try ClientFlowTests.seed(client)
        try LicenseFlowTests.seed(client)
        _ = try client.call("license.generate", ["mispId": "esignet"])
        _ = try client.call("client.create", ClientFlowTests.create())
        for _ in 0..<3 { _ = try client.call("system.health") }
        let notFound = try #require(try client.errorCode("partner.get", ["partnerId": "nobody"]))
        #expect(try client.errorCode("no.such.method") == "GW_METHOD_NOT_FOUND")
        let after = try Self.metrics(client)

        for (family, (type, labels)) in Self.families {
            #expect(after.types[family] == type, "\(family)")
            let series = after.samples.filter { after.family(of: $0.name) == family }
            #expect(!series.isEmpty, "\(family) has samples")
            for sample in series {
                #expect(Set(sample.labels.keys).subtracting(["le"]) == labels, "\(sample.name) \(sample.labels)")
            }
        }
        // Base units and naming: counters end in _total, durations are in seconds.
        for (family, type) in after.types where family.hasPrefix("pmsgw_") {
            #expect((type == "counter") == family.hasSuffix("_total"), "\(family)")
        }
        let health = ["method": "system.health", "outcome": "ok"]
        #expect(after.value("pmsgw_requests_total", health) == (before.value("pmsgw_requests_total", health) ?? 0) + 3)
        #expect(after.value("pmsgw_requests_total", ["method": "partner.get", "outcome": "error"]) == 1)
        #expect(
            after.value("pmsgw_request_errors_total", ["method": "partner.get", "error_code": notFound]) == 1)
        #expect(after.value("pmsgw_requests_total", ["method": "unknown", "outcome": "error"]) == 1)
        #expect(
            after.value("pmsgw_request_errors_total", ["method": "unknown", "error_code": "GW_METHOD_NOT_FOUND"]) == 1,
            "a method nobody registered is counted, never used as a label")
        #expect(after.samples.allSatisfy { $0.labels["method"] != "no.such.method" })
        #expect(after.value("pmsgw_request_duration_seconds_count", ["method": "system.health"]) ?? 0 >= 3)
        // Seven writes so far (two partners, two policies, two mappings, a license, a client).
        #expect(after.value("pmsgw_commit_batch_size_sum") ?? 0 >= 7)
        #expect(after.value("pmsgw_commit_duration_seconds_count") ?? 0 >= 1)
        #expect(after.value("pmsgw_connections_open") == 1)
        // Delivery is off in this config: the client's two rows and the license event wait.
        #expect(after.value("pmsgw_outbox_rows", ["target": "esignet", "status": "pending"]) == 1)
        #expect(after.value("pmsgw_outbox_rows", ["target": "ida", "status": "pending"]) ?? 0 >= 2)
        #expect(after.value("pmsgw_license_expires_in_days") == 90)
        let text = try #require(try client.call("system.metrics")["text"]?.stringValue)
        #expect(!text.contains("r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs"), "no client ids in labels")
    }

    @Test func deliveryAttemptsAreCountedByTargetAndOutcome() throws {
        let directory = try TemporaryDirectory()
        let receiver = try DeliveryCrashTests.Receiver(directory: directory, arguments: ["0"])
        let base = "http://127.0.0.1:\(receiver.port)"
        let daemon = try TestDaemon(
            overrides: ["esignet": ["baseURL": .string(base)], "ida": ["websubHubURL": .string("\(base)/hub")]],
            directory: directory)
        let client = try daemon.client()
        try ClientFlowTests.seed(client)
        _ = try client.call("client.create", ClientFlowTests.create())
        try Poll.wait(for: "both rows delivered", timeout: .seconds(30)) {
            try client.call("system.health")["outboxPending"] == 0
        }
        let metrics = try Self.metrics(client)
        for target in ["esignet", "ida"] {
            #expect(metrics.value("pmsgw_delivery_attempts_total", ["target": target, "outcome": "delivered"]) == 1)
            #expect(metrics.value("pmsgw_delivery_duration_seconds_count", ["target": target]) == 1)
            #expect(metrics.value("pmsgw_outbox_rows", ["target": target, "status": "delivered"]) == 1)
        }
    }

    /// node_exporter's textfile collector reads the file at any moment: each version is complete,
    /// and each is a new file renamed over the old one.
    @Test func theTextfileIsReplacedWholeAtEachInterval() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("textfile/pms-gateway.prom")
        try FileManager.default.createDirectory(
            atPath: directory.file("textfile"), withIntermediateDirectories: true)
        let daemon = try TestDaemon(
            overrides: ["metrics": ["textfile": .string(path), "intervalSeconds": 1]], directory: directory)
        let client = try daemon.client()
        try Poll.wait(for: "the first textfile", timeout: .seconds(10)) { FileManager.default.fileExists(atPath: path) }
        let first = try FileManager.default.attributesOfItem(atPath: path)
        #expect((first[.posixPermissions] as? Int) == 0o644, "readable by node_exporter")
        let health = ["method": "system.health", "outcome": "ok"]
        for _ in 0..<5 { _ = try client.call("system.health") }
        try Poll.wait(for: "a newer textfile with the calls", timeout: .seconds(10)) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try PrometheusText(text).value("pmsgw_requests_total", health) ?? 0 >= 5
        }
        let second = try FileManager.default.attributesOfItem(atPath: path)
        #expect(first[.systemFileNumber] as? Int != second[.systemFileNumber] as? Int, "renamed into place")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("textfile"))
        #expect(leftovers == ["pms-gateway.prom"], "no temporary files left beside it")
    }

    @Test func theParserRefusesWhatTheFormatDoesNotAllow() {
        let bad = [
            "pmsgw_x_total 1\n",  // no TYPE
            "# TYPE a counter\n# TYPE a counter\na 1\n",  // typed twice
            "# TYPE a gauge\na{b=\"c\"} x\n",  // bad value
            "# TYPE a gauge\na{1b=\"c\"} 1\n",  // bad label name
            "# TYPE a gauge\na{b=\"c\"} 1\na{b=\"c\"} 2\n",  // duplicate series
            // buckets not cumulative
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  // no +Inf
        ]
        for text in bad {
            #expect(throws: TestFailure.self, "\(text)") { try PrometheusText(text) }
        }
        #expect(throws: Never.self) {
            try PrometheusText(
                "# TYPE a gauge\na{b=\"q\\\"\\n\"} 1.5\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\n"
            )
        }
    }
}
