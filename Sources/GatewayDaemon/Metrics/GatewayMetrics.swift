import CoreMetrics
import GatewayDelivery
import GatewayServices
import GatewayStore
import GatewayTransport
import JSONRPC
import NIOCore
import Prometheus
import Synchronization

/// The daemon's Prometheus series (SPEC 10): swift-metrics handlers made by a swift-prometheus
/// factory over a registry of this daemon's own.
///
/// No global `MetricsSystem.bootstrap`: it may run once per process, and the tests run many
/// daemons in one. Calls, the one hot path, are counted per thread in a ``CallTally`` and handed
/// to the registry's counters when the text is rendered; commits are counted by the writer in the
/// statistics it keeps anyway. Those histograms are written in the same format beside the
/// registry's text (``HistogramText``). Delivery attempts, a few per second at most, go to
/// swift-prometheus directly. The gauges that describe state (connections, outbox rows, the
/// soonest license) are read when the text is rendered, not kept current.
package final class GatewayMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let calls: CallTally
    /// `pmsgw_requests_total` per method (the tally's order): ok, then error.
    private let requests: [(ok: CoreMetrics.Counter, failed: CoreMetrics.Counter)]
    /// What the registry's counters were last brought up to, and the error counters made so far
    /// (error codes are a fixed set, SPEC 3 and MOSIP's, so this stays small). Renders take turns.
    private let published = Mutex<Published>(Published())

    private struct Published {
        var counts: CallTally.Counts?
        var errors: [CallTally.ErrorKey: CoreMetrics.Counter] = [:]
    }

    private let connectionsOpen: CoreMetrics.Gauge
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
        factory.durationHistogramBuckets = [
            "pmsgw_delivery_duration_seconds": BucketCounts.latencyBoundsNanoseconds.map { .nanoseconds($0) }
        ]
        self.factory = factory

        calls = CallTally(methods: names, shards: 2 * System.coreCount)
        requests = calls.names.map { method in
            (
                ok: Counter(
                    label: "pmsgw_requests_total", dimensions: [("method", method), ("outcome", "ok")],
                    factory: factory),
                failed: Counter(
                    label: "pmsgw_requests_total", dimensions: [("method", method), ("outcome", "error")],
                    factory: factory)
            )
        }

        connectionsOpen = Gauge(label: "pmsgw_connections_open", factory: factory)
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

    /// One answered call (the RPC processor's observer). A method the table does not know is
    /// counted as `unknown`, so a caller cannot make a label of its own choosing.
    package func record(_ call: RPCCallRecord) {
        calls.record(method: call.method, errorCode: call.errorCode, duration: call.duration)
    }

    /// Brings the registry's call counters up to the tally, and returns it for the durations.
    private func publishCalls() -> CallTally.Counts {
        published.withLock { published in
            let now = calls.total()
            let before = published.counts
            for (index, counters) in requests.enumerated() {
                counters.ok.increment(by: now.methods[index].ok - (before?.methods[index].ok ?? 0))
                counters.failed.increment(by: now.methods[index].failed - (before?.methods[index].failed ?? 0))
            }
            for (key, count) in now.errors {
                let counter =
                    published.errors[key]
                    ?? Counter(
                        label: "pmsgw_request_errors_total",
                        dimensions: [("method", calls.names[key.method]), ("error_code", key.errorCode)],
                        factory: factory)
                published.errors[key] = counter
                counter.increment(by: count - (before?.errors[key] ?? 0))
            }
            published.counts = now
            return now
        }
    }

    /// One delivery attempt (the deliverer's observer).
    package func record(_ attempt: DeliveryAttemptRecord) {
        deliveryAttempts[DeliveryKey(target: attempt.target, outcome: attempt.outcome)]?.increment()
        deliveryDuration[attempt.target]?.recordNanoseconds(attempt.duration.nanoseconds)
    }

    /// The exposition text (format 0.0.4), with the state gauges read now.
    package func render(store: Store, connections: ConnectionCounter) throws -> String {
        let counts = publishCalls()
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
        var text = registry.emitToString()
        HistogramText.emit(
            "pmsgw_request_duration_seconds", seconds: true,
            calls.names.enumerated().map { ("method=\"\($1)\"", counts.methods[$0].nanoseconds) }, into: &text)
        let commits = store.statistics
        HistogramText.emit("pmsgw_commit_batch_size", seconds: false, [("", commits.groupSizes)], into: &text)
        HistogramText.emit(
            "pmsgw_commit_duration_seconds", seconds: true, [("", commits.groupNanoseconds)], into: &text)
        return text
    }
}
