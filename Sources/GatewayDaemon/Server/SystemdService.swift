import GatewayTransport
import ServiceLifecycle

/// Keeps systemd informed: `WATCHDOG=1` at half of `WATCHDOG_USEC`, `STOPPING=1` on shutdown.
/// (`READY=1` is sent by the daemon once the socket accepts calls.)
struct SystemdService: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        if let interval = notifier.watchdogInterval {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                notifier.notify("WATCHDOG=1")
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.notify("STOPPING=1")
    }
}
