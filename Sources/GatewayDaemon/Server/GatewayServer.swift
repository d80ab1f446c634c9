import GatewayTransport
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Accepts connections until graceful shutdown, then drains them.
///
/// Each connection runs its requests in its own pipeline (`RequestPipelineHandler`); the server
/// only keeps the set of open channels. On shutdown it stops accepting and half-closes every
/// connection's input: requests already read are answered, then each connection closes itself,
/// and `run` returns when the last one has.
struct GatewayServer: Service {
    let listener: UnixSocketListener.ServerChannel
    let logger: Logger
    private let open = OpenChannels()

    init(listener: UnixSocketListener.ServerChannel, logger: Logger) {
        self.listener = listener
        self.logger = logger
    }

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await listener.executeThenClose { connections in
                for try await channel in connections.cancelOnGracefulShutdown() {
                    open.insert(channel)
                }
            }
        } onGracefulShutdown: {
            open.closeInputs()
        }
        open.closeInputs()
        await open.waitUntilAllClosed()
        logger.debug("all connections drained")
    }
}

/// The open connections, by identity, so shutdown can reach each one.
final class OpenChannels: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func insert(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.channels.withLock { _ = $0.removeValue(forKey: key) }
        }
    }

    /// Half-closes every connection's input; each closes fully once its replies are written.
    func closeInputs() {
        for channel in channels.withLock({ Array($0.values) }) {
            channel.close(mode: .input, promise: nil)
        }
    }

    func waitUntilAllClosed() async {
        for channel in channels.withLock({ Array($0.values) }) {
            try? await channel.closeFuture.get()
        }
    }
}
