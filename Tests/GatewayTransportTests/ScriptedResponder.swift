import NIOCore
import Synchronization

@testable import GatewayTransport

/// The application side of a pipeline test. A line `i:N` is answered at once with `N`; `d:N` is
/// deferred and answered with `N` once ``gate`` opens; `s:N` is the same as suspending work (it
/// records whether it ran on ``eventLoop``); `n:N` (a notification) gets no reply.
/// Every line it is asked to answer is recorded, so a test sees what ran and in which order.
final class ScriptedResponder: LineResponder {
    let gate = Gate()
    private let recorded = Mutex<[String]>([])
    /// The loop of the channel under test; `s:` work checks it runs there.
    let eventLoop = Mutex<(any EventLoop)?>(nil)
    private let suspendingRuns = Mutex<[Bool]>([])

    /// For each `s:` line run, whether its work ran on ``eventLoop`` before and after it waited.
    var suspendingRanOnLoop: [Bool] { suspendingRuns.withLock { $0 } }

    /// The lines run so far, in order.
    var ran: [String] { recorded.withLock { $0 } }

    func respond(to frame: InboundFrame) -> LineResponse {
        guard case .line(let buffer) = frame else { return .immediate(Array("too long\n".utf8)) }
        let text = String(buffer: buffer)
        recorded.withLock { $0.append(text) }
        let reply = Array("\(text.dropFirst(2))\n".utf8)
        switch text.prefix(2) {
        case "i:": return .immediate(reply)
        case "d:":
            return .deferred { [gate] in
                await gate.wait()
                return reply
            }
        case "s:":
            return .suspending { [gate] in
                self.noteLoop()
                await gate.wait()
                self.noteLoop()
                return reply
            }
        default: return .immediate(nil)
        }
    }
}

extension ScriptedResponder {
    fileprivate func noteLoop() {
        let onLoop = eventLoop.withLock { $0?.inEventLoop ?? false }
        suspendingRuns.withLock { $0.append(onLoop) }
    }
}

/// A latch tasks wait on until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Counts the `read` requests that reach the channel, i.e. that the pipeline handler let through.
final class ReadCounter: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = ByteBuffer
    private let count = Atomic<Int>(0)

    var reads: Int { count.load(ordering: .sequentiallyConsistent) }

    func read(context: ChannelHandlerContext) {
        count.add(1, ordering: .sequentiallyConsistent)
        context.read()
    }
}

/// `i:1`, `i:2`, ... `i:count`.
func immediateLines(_ range: ClosedRange<Int>) -> [String] {
    range.map { "i:\($0)" }
}
