import GatewayServices
import Logging
import ServiceLifecycle

/// `metrics.textfile` (SPEC 10): the exposition text written every `metrics.intervalSeconds` for
/// node_exporter's textfile collector, so Prometheus scrapes the host without the daemon opening
/// a TCP port.
///
/// Each write replaces the file atomically (temporary file, fsync, rename), so the collector never
/// reads half a file. Mode 0644: the text holds no secret, and node_exporter runs as another user.
struct MetricsTextfileService: Service {
    let path: String
    let interval: Duration
    let metrics: MetricsReference
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    write()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutdown: the last file written stays, as node_exporter expects.
        }
    }

    private func write() {
        do {
            try AtomicFileWriter.write(Array(try metrics.text().utf8), to: path, newFileMode: 0o644)
        } catch {
            logger.warning("cannot write the metrics textfile", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
