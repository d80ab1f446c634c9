import GatewayJSON
import GatewayTransport
import JSONRPC
import NIOCore

/// Connects the transport to JSON-RPC: each connection gets a responder that knows its peer.
struct RPCResponderFactory: LineResponderFactory {
    let processor: RPCProcessor<RPCContext>
    let maxRequestBytes: Int

    func responder(for peer: PeerCredentials) -> any LineResponder {
        RPCLineResponder(
            processor: processor, peer: peer, maxRequestBytes: maxRequestBytes)
    }
}

/// One connection's view of the RPC processor.
struct RPCLineResponder: LineResponder {
    let processor: RPCProcessor<RPCContext>
    let peer: PeerCredentials
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
                RPCContext(peer: peer, requestId: request.idText)
            }
            switch outcome {
            case .immediate(let reply): return .immediate(reply)
            case .deferred(let work): return .deferred(work)
            }
        }
    }
}
