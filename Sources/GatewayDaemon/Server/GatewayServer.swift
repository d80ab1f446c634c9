import GatewayJSON
import GatewayTransport
import JSONRPC
import Logging
import NIOCore
import ServiceLifecycle

/// Accepts connections and runs each one's request loop.
///
/// On graceful shutdown it stops accepting, and every connection stops reading: requests
/// already read are answered, then the connection closes. The group waits for all of them.
struct GatewayServer: Service {
    let listener: UnixSocketListener.ServerChannel
    let processor: RPCProcessor<RPCContext>
    let access: AccessPolicy
    let maxRequestBytes: Int
    let logger: Logger

    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections.cancelOnGracefulShutdown() {
                    group.addTask { await serve(connection) }
                }
            }
        }
    }

    private func serve(_ connection: Connection) async {
        let groups = access.supplementaryGroups(of: connection.peer)
        let channel = connection.channel.channel
        do {
            try await withGracefulShutdownHandler {
                try await connection.channel.executeThenClose { inbound, outbound in
                    for try await frame in inbound {
                        guard let reply = await respond(to: frame, peer: connection.peer, groups: groups) else { continue }
                        try await outbound.write(ByteBuffer(bytes: reply))
                    }
                }
            } onGracefulShutdown: {
                // Half-close the read side: frames already read still come through the loop above.
                channel.close(mode: .input, promise: nil)
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)", "pid": "\(connection.peer.pid)"])
        }
    }

    private func respond(to frame: InboundFrame, peer: PeerCredentials, groups: [UInt32]) async -> [UInt8]? {
        switch frame {
        case .tooLong:
            return RPCResponse.line(RPCResponse.failure(id: .null, error: .requestTooLarge(limit: maxRequestBytes)))
        case .line(let buffer):
            return await processor.process(line: buffer.readableBytesView) { request in
                RPCContext(peer: peer, supplementaryGroups: groups, requestId: request.idText)
            }
        }
    }
}
