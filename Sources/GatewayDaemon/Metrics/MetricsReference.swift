import GatewayStore
import GatewayTransport
import Synchronization

/// Where the method table and the deliverer find the daemon's metrics.
///
/// The metrics need the table's method names (one series each, made up front so a call never
/// takes a lock), while the table's `system.metrics` and the deliverer, both made before it, need
/// the metrics: this is filled in once the table is complete. Only scrapes and delivery attempts
/// go through it; calls are recorded on ``GatewayMetrics`` directly.
final class MetricsReference: Sendable {
    private let metrics = Mutex<GatewayMetrics?>(nil)
    private let store: Store
    private let connections: ConnectionCounter

    init(store: Store, connections: ConnectionCounter) {
        self.store = store
        self.connections = connections
    }

    func set(_ metrics: GatewayMetrics) {
        self.metrics.withLock { $0 = metrics }
    }

    var current: GatewayMetrics? { metrics.withLock { $0 } }

    /// The exposition text; empty only before the table was complete, when nobody can ask.
    func text() throws -> String {
        try current?.render(store: store, connections: connections) ?? ""
    }
}
