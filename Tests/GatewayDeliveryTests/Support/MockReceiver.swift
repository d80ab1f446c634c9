import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One request as the mock received it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var query: String?
    var headers: [(String, String)]
    var body: [UInt8]
    /// Monotonic arrival time, for backoff checks.
    var receivedAt: ContinuousClock.Instant

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The query's parameters in order, undecoded.
    var queryItems: [(String, String)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
    }
}

/// What the mock answers to one request.
struct MockReply: Sendable {
    var status: HTTPResponseStatus = .ok
    var body: String = #"{"response":{},"errors":[]}"#
    /// Held this long before answering; models a receiver that is slow (rows in flight).
    var delay: TimeAmount = .zero
    /// Extra response headers (an auth manager's `authorization`, a `Set-Cookie`).
    var headers: [(String, String)] = []

    static let ok = MockReply()
    static let accepted = MockReply(status: .accepted, body: "")
    static let serverError = MockReply(status: .internalServerError, body: "boom")
    static let esignetErrors = MockReply(
        status: .ok,
        body:
            #"{"responseTime":"x","response":null,"errors":[{"errorCode":"invalid_client_id","errorMessage":"Invalid client id"}]}"#
    )
}

/// A small HTTP/1.1 server on 127.0.0.1 (port 0) that records every request and answers as
/// the test says, so delivery is tested against a real socket and a real HTTP parser.
final class MockReceiver: Sendable {
    private let recorded = Mutex<[RecordedRequest]>([])
    private let responder: Mutex<@Sendable (RecordedRequest, Int) -> MockReply>
    private let channel: any Channel
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// - Parameter recordingRegistrations: record topic registrations (`hub.mode=register`) and
    ///   let `responder` answer them; otherwise they are answered 200 and not recorded, so a test
    ///   about deliveries sees deliveries only.
    static func start(
        recordingRegistrations: Bool = false,
        _ responder: @escaping @Sendable (RecordedRequest, Int) -> MockReply = { _, _ in .ok }
    ) async throws -> MockReceiver {
        let box = ResponderBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let receiver = MockReceiver(
            channel: channel, responder: responder, recordingRegistrations: recordingRegistrations)
        box.receiver.withLock { $0 = receiver }
        return receiver
    }

    private let recordingRegistrations: Bool

    private init(
        channel: any Channel, responder: @escaping @Sendable (RecordedRequest, Int) -> MockReply,
        recordingRegistrations: Bool
    ) {
        self.recordingRegistrations = recordingRegistrations
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.responder = Mutex(responder)
    }

    /// Changes how later requests are answered ("fail on demand").
    func respond(_ responder: @escaping @Sendable (RecordedRequest, Int) -> MockReply) {
        self.responder.withLock { $0 = responder }
    }

    var requests: [RecordedRequest] { recorded.withLock { $0 } }
    var count: Int { recorded.withLock { $0.count } }

    fileprivate func receive(_ request: RecordedRequest) -> MockReply {
        if !recordingRegistrations, request.bodyText.hasPrefix("hub.mode=register") { return .ok }
        let index = recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        let responder = self.responder.withLock { $0 }
        return responder(request, index)
    }

    func stop() async throws {
        try await channel.close()
    }
}

/// Lets handlers created before the receiver exists reach it.
private final class ResponderBox: Sendable {
    let receiver = Mutex<MockReceiver?>(nil)
}

private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: ResponderBox
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(box: ResponderBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let receiver = box.receiver.withLock({ $0 }) else { return }
            let parts = head.uri.split(separator: "?", maxSplits: 1)
            let request = RecordedRequest(
                method: head.method.rawValue, path: String(parts.first ?? ""),
                query: parts.count > 1 ? String(parts[1]) : nil,
                headers: head.headers.map { ($0.name, $0.value) }, body: body, receivedAt: .now)
            let reply = receiver.receive(request)
            let version = head.version
            if reply.delay == .zero {
                write(reply, version: version, context: context)
            } else {
                context.eventLoop.assumeIsolated().scheduleTask(in: reply.delay) { [self] in
                    write(reply, version: version, context: context)
                }
            }
        }
    }

    private func write(_ reply: MockReply, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(reply.body.utf8.count)")
        for (name, value) in reply.headers { headers.add(name: name, value: value) }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: reply.status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
