import NIOCore

/// Runs a connection's requests and writes their replies in request order.
///
/// Replies that are ready at once are written straight away (flushed once per read burst);
/// deferred ones hold a slot, and later replies wait behind it. Reading pauses while too many
/// replies are outstanding or the peer is not reading what we write, so a client that pipelines
/// without reading costs bounded memory and never slows other connections. When the input side
/// closes (the peer finished sending, or graceful shutdown half-closed it), every request already
/// read is still answered, then the connection closes.
final class RequestPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = InboundFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Slot {
        case waiting
        case ready([UInt8]?)
    }

    private let responder: any LineResponder
    private let maxOutstanding: Int
    private var slots = CircularBuffer<Slot>()
    /// Sequence number of `slots.first`, so a deferred reply finds its slot after others drained.
    private var firstSlotNumber = 0
    private var inputClosed = false
    private var readHeld = false
    private var closing = false

    init(responder: any LineResponder, maxOutstanding: Int = 256) {
        self.responder = responder
        self.maxOutstanding = maxOutstanding
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch responder.respond(to: unwrapInboundIn(data)) {
        case .immediate(let reply):
            if slots.isEmpty {
                if let reply { write(reply, context: context) }
            } else {
                slots.append(.ready(reply))
            }
        case .deferred(let work):
            let number = firstSlotNumber + slots.count
            slots.append(.waiting)
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            Task {
                let reply = await work()
                eventLoop.execute {
                    handler.value.complete(number, with: reply, context: boundContext.value)
                }
            }
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
        if slots.count >= maxOutstanding || !context.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReadingIfPossible(context: context)
        context.fireChannelWritabilityChanged()
    }

    private func complete(_ number: Int, with reply: [UInt8]?, context: ChannelHandlerContext) {
        let index = number - firstSlotNumber
        guard index >= 0, index < slots.count else { return }
        slots[slots.index(slots.startIndex, offsetBy: index)] = .ready(reply)
        while case .ready(let ready)? = slots.first {
            slots.removeFirst()
            firstSlotNumber += 1
            if let ready { write(ready, context: context) }
        }
        context.flush()
        resumeReadingIfPossible(context: context)
        closeIfFinished(context: context)
    }

    private func write(_ reply: [UInt8], context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        guard readHeld, slots.count < maxOutstanding, context.channel.isWritable else { return }
        readHeld = false
        context.read()
    }

    /// Closes once the input is done and every reply is on the wire: the close waits for an
    /// empty write queued behind the replies, so nothing already answered is cut off.
    private func closeIfFinished(context: ChannelHandlerContext) {
        guard inputClosed, slots.isEmpty, !closing else { return }
        closing = true
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: flushed)
        let channel = context.channel
        flushed.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}
