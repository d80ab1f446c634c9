import NIOCore

/// Runs a connection's requests one after another and writes their replies in request order.
///
/// Requests on one connection keep their order of effect, as if served by a loop: a read that
/// follows a write on the same connection sees that write. Every line read goes to a queue,
/// which is drained on the event loop:
///
/// - **Fairness.** At most `budget` requests of one connection run per event-loop turn; the rest
///   wait for a later turn, so every other connection's reads and replies come in between. A peer
///   that pipelines thousands of cheap requests (all answered on the event loop) therefore delays
///   another peer by at most a few requests' work, never by its whole pipeline (SPEC 2).
/// - **Back-pressure.** Reading pauses while lines are still queued or the peer is not reading
///   what we write, so a client that pipelines without reading costs bounded memory.
/// - **A peer that is gone gets nothing computed.** Once the channel is inactive (the peer closed
///   and a reply could not be written) the queue is dropped and later lines are ignored.
/// - **Half-close.** When only the input side closes (the peer finished sending, or graceful
///   shutdown half-closed it), every request already read is still answered, then the
///   connection closes.
final class RequestPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = InboundFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let responder: any LineResponder
    private let budget: Int
    /// Lines read but not yet run, in arrival order.
    private var queued = CircularBuffer<InboundFrame>()
    /// A deferred reply is being computed: nothing else of this connection runs meanwhile.
    private var busy = false
    /// A drain is scheduled for a later event-loop turn.
    private var drainScheduled = false
    private var inputClosed = false
    private var peerGone = false
    private var readHeld = false
    private var closing = false
    /// Runs this connection's ``LineResponse/suspending(_:)`` work on its event loop.
    private var loopExecutor: EventLoopTaskExecutor?

    /// - Parameter budget: requests of this connection run per event-loop turn.
    init(responder: any LineResponder, budget: Int = 16) {
        self.responder = responder
        self.budget = budget
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !peerGone else { return }
        queued.append(unwrapInboundIn(data))
    }

    /// A read burst is complete: run this turn's share of what it brought.
    func channelReadComplete(context: ChannelHandlerContext) {
        drain(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        peerGone = true
        queued.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            inputClosed = true
            // Lines decoded from the last bytes arrive without a read-complete of their own.
            drain(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        if !queued.isEmpty || busy || !context.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { drain(context: context) }
        context.fireChannelWritabilityChanged()
    }

    /// Runs up to `budget` queued requests, flushes their replies, and leaves the rest to a later
    /// turn; resumes reading once the queue is empty.
    private func drain(context: ChannelHandlerContext) {
        var ran = 0
        while !busy, !peerGone, ran < budget, context.channel.isWritable, let frame = queued.popFirst() {
            run(frame, context: context)
            ran += 1
        }
        context.flush()
        if !busy, !peerGone, !queued.isEmpty, context.channel.isWritable {
            scheduleDrain(context: context)
        }
        resumeReadingIfPossible(context: context)
        closeIfFinished(context: context)
    }

    /// `execute` queues the drain behind the I/O the event loop has already seen, which is what
    /// lets other connections in between two budgets of this one.
    private func scheduleDrain(context: ChannelHandlerContext) {
        guard !drainScheduled else { return }
        drainScheduled = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            handler.value.drainScheduled = false
            handler.value.drain(context: boundContext.value)
        }
    }

    private func run(_ frame: InboundFrame, context: ChannelHandlerContext) {
        switch responder.respond(to: frame) {
        case .immediate(let reply):
            if let reply { write(reply, context: context) }
        case .deferred(let work):
            start(work, on: nil, context: context)
        case .suspending(let work):
            let executor = loopExecutor ?? EventLoopTaskExecutor(context.eventLoop)
            loopExecutor = executor
            start(work, on: executor, context: context)
        }
    }

    /// Runs `work` as a task, on `executor` when given (else Swift's global pool), and writes its
    /// reply on the event loop when it is done.
    private func start(
        _ work: @escaping @Sendable () async -> [UInt8]?, on executor: (any TaskExecutor)?,
        context: ChannelHandlerContext
    ) {
        busy = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        Task(executorPreference: executor) {
            let reply = await work()
            eventLoop.execute {
                handler.value.finish(with: reply, context: boundContext.value)
            }
        }
    }

    /// A deferred reply is ready: write it, then go on with what queued up behind it.
    private func finish(with reply: [UInt8]?, context: ChannelHandlerContext) {
        busy = false
        if let reply, !peerGone { write(reply, context: context) }
        drain(context: context)
    }

    private func write(_ reply: [UInt8], context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
    }

    private func resumeReadingIfPossible(context: ChannelHandlerContext) {
        guard readHeld, !busy, queued.isEmpty, context.channel.isWritable else { return }
        readHeld = false
        context.read()
    }

    /// Closes once the input is done and every reply is on the wire: the close waits for an
    /// empty write queued behind the replies, so nothing already answered is cut off.
    private func closeIfFinished(context: ChannelHandlerContext) {
        guard inputClosed, !busy, queued.isEmpty, !closing, !peerGone else { return }
        closing = true
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: flushed)
        let channel = context.channel
        flushed.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }
}
