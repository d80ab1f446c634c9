import NIOCore

/// Runs a connection's requests one after another and writes their replies in request order.
///
/// Requests on one connection keep their order of effect, as if served by a loop: a read that
/// follows a write on the same connection sees that write. Immediate replies are computed on the
/// event loop and written at once (flushed once per read burst); while a deferred reply is being
/// computed, later lines wait in a queue. Reading pauses while that queue is full or the peer is
/// not reading what we write, so a client that pipelines without reading costs bounded memory
/// and never slows other connections. When the input side closes (the peer finished sending, or
/// graceful shutdown half-closed it), every request already read is still answered, then the
/// connection closes.
final class RequestPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = InboundFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: any LineResponder
    private let maxQueued: Int
    /// Lines read while a deferred reply was being computed, in arrival order.
    private var queued = CircularBuffer<InboundFrame>()
    private var busy = false
    private var inputClosed = false
    private var readHeld = false
    private var closing = false

    init(responder: any LineResponder, maxQueued: Int = 256) {
        self.responder = responder
        self.maxQueued = maxQueued
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if busy {
            queued.append(frame)
        } else {
            run(frame, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            inputClosed = true
            closeIfFinished(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        if queued.count >= maxQueued || !context.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReadingIfPossible(context: context)
        context.fireChannelWritabilityChanged()
    }

    private func run(_ frame: InboundFrame, context: ChannelHandlerContext) {
        switch responder.respond(to: frame) {
        case .immediate(let reply):
            if let reply { write(reply, context: context) }
        case .deferred(let work):
            busy = true
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            Task {
                let reply = await work()
                eventLoop.execute {
                    handler.value.finish(with: reply, context: boundContext.value)
                }
            }
        }
    }

    /// A deferred reply is ready: write it, then run what queued up behind it.
    private func finish(with reply: [UInt8]?, context: ChannelHandlerContext) {
        busy = false
        if let reply { write(reply, context: context) }
        while !busy, let next = queued.popFirst() {
            run(next, context: context)
        }
        context.flush()
        resumeReadingIfPossible(context: context)
        closeIfFinished(context: context)
    }

    private func write(_ reply: [UInt8], context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        guard readHeld, queued.count < maxQueued, context.channel.isWritable else { return }
        readHeld = false
        context.read()
    }

    /// Closes once the input is done and every reply is on the wire: the close waits for an
    /// empty write queued behind the replies, so nothing already answered is cut off.
    private func closeIfFinished(context: ChannelHandlerContext) {
        guard inputClosed, !busy, queued.isEmpty, !closing else { return }
        closing = true
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: flushed)
        let channel = context.channel
        flushed.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}
