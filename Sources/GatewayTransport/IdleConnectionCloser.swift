import NIOCore

/// Closes a connection on which nothing was read or written for `timeout`: no read burst, no
/// flush, and no change of writability (a peer draining replies it was slow to read).
///
/// NIO's `IdleStateHandler` makes a promise for every write to learn when it completed, and reads
/// the clock for every message; on the hot read paths that was a few percent of each call. This
/// reads the clock once per read burst and once per flush, and keeps one timer per connection,
/// which re-arms itself for the deadline the connection's last activity set.
final class IdleConnectionCloser: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timeout: TimeAmount
    private var lastActivity = NIODeadline.now()
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        lastActivity = .now()
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        lastActivity = .now()
        context.flush()
    }

    /// A peer that drains a backlog of replies is active too, though it sends nothing meanwhile.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        lastActivity = .now()
        context.fireChannelWritabilityChanged()
    }

    private func arm(context: ChannelHandlerContext) {
        guard timer == nil else { return }
        lastActivity = .now()
        schedule(at: lastActivity + timeout, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            handler.value.expired(context: boundContext.value)
        }
    }

    /// The timer fired: close if the connection stayed silent since it was set, else wait for the
    /// deadline its latest activity set.
    private func expired(context: ChannelHandlerContext) {
        timer = nil
        guard context.channel.isActive else { return }
        let deadline = lastActivity + timeout
        if deadline <= .now() {
            context.close(promise: nil)
        } else {
            schedule(at: deadline, context: context)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
