import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The listening Unix socket: bound by us, or adopted from systemd.
package enum UnixSocketListener {
    /// Accepted connections arrive fully set up; the server only tracks them for shutdown.
    package typealias ServerChannel = NIOAsyncChannel<any Channel, Never>

    /// Binds `configuration.socketPath` or adopts `adoptedDescriptor` (systemd's fd 3).
    ///
    /// A socket file somebody still answers on is never taken over; a stale one is replaced.
    package static func listen(
        configuration: ListenerConfiguration, adoptedDescriptor: CInt?, group: any EventLoopGroup,
        connectionCount: ConnectionCounter, responders: any LineResponderFactory
    ) async throws -> ServerChannel {
        // A burst of connects up to the connection limit must queue, not fail with EAGAIN (SPEC 2).
        // An adopted socket keeps systemd's `Backlog=`.
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(clamping: max(configuration.maxConnections, 256)))
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<any Channel> = { channel in
            setUp(channel, configuration: configuration, connectionCount: connectionCount, responders: responders)
        }
        if let adoptedDescriptor {
            return try await bootstrap.bind(
                adoptedDescriptor, cleanupExistingSocketFile: false, childChannelInitializer: initializer)
        }
        try refuseLiveSocket(at: configuration.socketPath)
        let channel: ServerChannel
        do {
            channel = try await bootstrap.bind(
                unixDomainSocketPath: configuration.socketPath, cleanupExistingSocketFile: true,
                childChannelInitializer: initializer
            )
        } catch {
            throw ListenerError.cannotBind(path: configuration.socketPath, reason: "\(error)")
        }
        guard chmod(configuration.socketPath, mode_t(configuration.socketMode)) == 0 else {
            try? await channel.channel.close()
            throw ListenerError.cannotBind(path: configuration.socketPath, reason: "chmod failed, errno \(errno)")
        }
        return channel
    }

    private static func setUp(
        _ channel: any Channel, configuration: ListenerConfiguration, connectionCount: ConnectionCounter,
        responders: any LineResponderFactory
    ) -> EventLoopFuture<any Channel> {
        guard connectionCount.admit(limit: configuration.maxConnections) else {
            return channel.close().flatMapThrowing { throw ChannelError.ioOnClosedChannel }
        }
        channel.closeFuture.whenComplete { _ in connectionCount.release() }
        return PeerCredentialsReader.read(from: channel).flatMapThrowing { peer in
            try channel.pipeline.syncOperations.addHandler(
                IdleConnectionCloser(timeout: .seconds(configuration.idleTimeoutSeconds))
            )
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(LineFrameDecoder(maxLineBytes: configuration.maxLineBytes))
            )
            try channel.pipeline.syncOperations.addHandler(
                RequestPipelineHandler(responder: responders.responder(for: peer))
            )
            return channel
        }
    }

    /// Connects to an existing socket file: an answer means a live daemon owns it.
    package static func refuseLiveSocket(at path: String) throws {
        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ListenerError.cannotBind(path: path, reason: "path too long for a Unix socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 { throw ListenerError.socketInUse(path: path) }
    }
}

/// Counts open connections so the accept path can refuse the one over `maxConnections`.
package final class ConnectionCounter: Sendable {
    private let open = Atomic<Int>(0)

    package init() {}

    /// Connections open now.
    package var current: Int { open.load(ordering: .relaxed) }

    func admit(limit: Int) -> Bool {
        let now = open.wrappingAdd(1, ordering: .relaxed).newValue
        if now > limit {
            open.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func release() {
        open.wrappingSubtract(1, ordering: .relaxed)
    }
}

/// How the listening socket is set up.
package struct ListenerConfiguration: Sendable {
    package var socketPath: String
    /// File mode for a socket we bind ourselves (an adopted systemd socket keeps its own).
    package var socketMode: UInt32
    package var maxLineBytes: Int
    package var maxConnections: Int
    package var idleTimeoutSeconds: Int64

    package init(
        socketPath: String, socketMode: UInt32, maxLineBytes: Int, maxConnections: Int, idleTimeoutSeconds: Int64
    ) {
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.maxLineBytes = maxLineBytes
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}

/// Why the daemon could not start listening. Each ends the process with exit code 78.
package enum ListenerError: Error, CustomStringConvertible {
    case socketInUse(path: String)
    case cannotBind(path: String, reason: String)

    package var description: String {
        switch self {
        case .socketInUse(let path): "socket \(path) is in use by another live daemon"
        case .cannotBind(let path, let reason): "cannot listen on \(path): \(reason)"
        }
    }
}
