import GatewayJSON
import GatewayServices
import GatewayStore
import GatewayTransport
import JSONRPC
import NIOCore

/// Connects the transport to JSON-RPC: each connection gets a responder that knows its peer.
struct RPCResponderFactory: LineResponderFactory {
    let processor: RPCProcessor<CallContext>
    let maxRequestBytes: Int

    func responder(for credentials: PeerCredentials) -> any LineResponder {
        let peer = Peer(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid, groups: credentials.groups)
        return RPCLineResponder(processor: processor, peer: peer, maxRequestBytes: maxRequestBytes)
    }
}

/// One connection's view of the RPC processor.
struct RPCLineResponder: LineResponder {
    let processor: RPCProcessor<CallContext>
    let peer: Peer
    let maxRequestBytes: Int

    func respond(to frame: InboundFrame) -> LineResponse {
        switch frame {
        case .tooLong:
            return .immediate(
                RPCResponse.line(RPCResponse.failure(id: .null, error: .requestTooLarge(limit: maxRequestBytes)))
            )
        case .line(let buffer):
            let peer = peer
            let outcome = processor.handle(line: buffer.readableBytesView) { request in
                CallContext(peer: peer, requestId: request.idText)
            }
            switch outcome {
            case .immediate(let reply): return .immediate(reply)
            case .deferred(let work): return .deferred(work)
            case .suspending(let work): return .suspending(work)
            }
        }
    }
}
