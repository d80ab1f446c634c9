import CoreMetrics
import GatewayDelivery
import GatewayServices
import GatewayStore
import GatewayTransport
import JSONRPC
import Prometheus
import Synchronization

/// The daemon's Prometheus series (SPEC 10): swift-metrics handlers made by a swift-prometheus
/// factory over a registry of this daemon's own.
///
/// No global `MetricsSystem.bootstrap`: it may run once per process, and the tests run many
/// daemons in one. The hot path (one call) touches only handlers made here at start-up, looked
/// up in dictionaries that never change afterwards; the gauges that describe state (connections,
/// outbox rows, the soonest license) are read when the text is rendered, not kept current.
package final class GatewayMetrics: Sendable {
    /// One method's series; a method the table does not know is counted as `unknown`, so a
    /// caller cannot make a label of its own choosing.
    private struct MethodSeries: Sendable {
        let ok: CoreMetrics.Counter
        let failed: CoreMetrics.Counter
        let duration: CoreMetrics.Timer
    }

    private struct ErrorKey: Hashable {
        let method: String
        let errorCode: String
    }

    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let methods: [String: MethodSeries]
    private let unknownMethod: MethodSeries
    /// Error codes are a fixed set (SPEC 3 and MOSIP's), so this stays small.
    private let errors = Mutex<[ErrorKey: CoreMetrics.Counter]>([:])
    private let connectionsOpen: CoreMetrics.Gauge
    private let commitBatchSize: CoreMetrics.Recorder
    private let commitDuration: CoreMetrics.Timer
    private let outboxRows: [OutboxRowsKey: CoreMetrics.Gauge]
    private let deliveryAttempts: [DeliveryKey: CoreMetrics.Counter]
    private let deliveryDuration: [OutboxMessage.Target: CoreMetrics.Timer]
    /// Present only while some license is active: SPEC 10 has the series absent without one.
    private let licenseExpiry = Mutex<CoreMetrics.Gauge?>(nil)

    private struct OutboxRowsKey: Hashable {
        let target: OutboxMessage.Target
        let status: String
    }

    private struct DeliveryKey: Hashable {
        let target: OutboxMessage.Target
        let outcome: DeliveryAttemptRecord.Outcome
    }

    static let outboxStatuses = ["pending", "delivered", "failed", "rejected"]

    package init(methods names: [String]) {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Calls answer in microseconds to seconds; commits in tenths of a millisecond up.
        let callBuckets: [Duration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        factory.durationHistogramBuckets = [
            "pmsgw_request_duration_seconds": callBuckets, "pmsgw_commit_duration_seconds": callBuckets,
            "pmsgw_delivery_duration_seconds": callBuckets,
        ]
        // A group holds at most `Writer.maximumGroupSize` (1024) writes.
        factory.valueHistogramBuckets = ["pmsgw_commit_batch_size": [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]]
        self.factory = factory

        func series(_ method: String) -> MethodSeries {
            MethodSeries(
                ok: Counter(
                    label: "pmsgw_requests_total", dimensions: [("method", method), ("outcome", "ok")],
                    factory: factory),
                failed: Counter(
                    label: "pmsgw_requests_total", dimensions: [("method", method), ("outcome", "error")],
                    factory: factory),
                duration: Timer(
                    label: "pmsgw_request_duration_seconds", dimensions: [("method", method)], factory: factory))
        }
        methods = Dictionary(uniqueKeysWithValues: names.map { ($0, series($0)) })
        unknownMethod = series("unknown")

        connectionsOpen = Gauge(label: "pmsgw_connections_open", factory: factory)
        commitBatchSize = Recorder(label: "pmsgw_commit_batch_size", factory: factory)
        commitDuration = Timer(label: "pmsgw_commit_duration_seconds", factory: factory)
        var outboxRows: [OutboxRowsKey: CoreMetrics.Gauge] = [:]
        var deliveryAttempts: [DeliveryKey: CoreMetrics.Counter] = [:]
        var deliveryDuration: [OutboxMessage.Target: CoreMetrics.Timer] = [:]
        for target in OutboxMessage.Target.allCases {
            for status in Self.outboxStatuses {
                outboxRows[OutboxRowsKey(target: target, status: status)] = Gauge(
                    label: "pmsgw_outbox_rows", dimensions: [("target", target.rawValue), ("status", status)],
                    factory: factory)
            }
            for outcome in DeliveryAttemptRecord.Outcome.allCases {
                deliveryAttempts[DeliveryKey(target: target, outcome: outcome)] = Counter(
                    label: "pmsgw_delivery_attempts_total",
                    dimensions: [("target", target.rawValue), ("outcome", outcome.rawValue)], factory: factory)
            }
            deliveryDuration[target] = Timer(
                label: "pmsgw_delivery_duration_seconds", dimensions: [("target", target.rawValue)], factory: factory)
        }
        self.outboxRows = outboxRows
        self.deliveryAttempts = deliveryAttempts
        self.deliveryDuration = deliveryDuration
    }

    /// One answered call (the RPC processor's observer).
    package func record(_ call: RPCCallRecord) {
        let method = call.method.flatMap { methods[$0] } ?? unknownMethod
        method.duration.recordNanoseconds(call.duration.nanoseconds)
        guard let errorCode = call.errorCode else {
            method.ok.increment()
            return
        }
        method.failed.increment()
        let key = ErrorKey(method: call.method ?? "unknown", errorCode: errorCode)
        let counter = errors.withLock { errors in
            if let counter = errors[key] { return counter }
            let counter = Counter(
                label: "pmsgw_request_errors_total", dimensions: [("method", key.method), ("error_code", errorCode)],
                factory: factory)
            errors[key] = counter
            return counter
        }
        counter.increment()
    }

    /// One committed group (the store's observer, on the writer's thread).
    package func recordCommit(writes: Int, duration: Duration) {
        commitBatchSize.record(writes)
        commitDuration.recordNanoseconds(duration.nanoseconds)
    }

    /// One delivery attempt (the deliverer's observer).
    package func record(_ attempt: DeliveryAttemptRecord) {
        deliveryAttempts[DeliveryKey(target: attempt.target, outcome: attempt.outcome)]?.increment()
        deliveryDuration[attempt.target]?.recordNanoseconds(attempt.duration.nanoseconds)
    }

    /// The exposition text (format 0.0.4), with the state gauges read now.
    package func render(store: Store, connections: ConnectionCounter) throws -> String {
        connectionsOpen.record(connections.current)
        let (rows, soonest) = try store.read { connection in
            (try connection.outboxRowCounts(), try connection.soonestActiveLicense())
        }
        for (key, gauge) in outboxRows {
            gauge.record(rows[OutboxRowCount(target: key.target, status: key.status)] ?? 0)
        }
        licenseExpiry.withLock { gauge in
            guard let soonest else {
                gauge?.destroy()
                gauge = nil
                return
            }
            if gauge == nil { gauge = Gauge(label: "pmsgw_license_expires_in_days", factory: factory) }
            gauge?.record(
                LicenseExpiryWatch.days(until: soonest.expiresAtMilliseconds, now: UTCTimestamp.nowMilliseconds()))
        }
        return registry.emitToString()
    }
}

extension Duration {
    /// Whole nanoseconds, as swift-metrics' timers take them.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
