import Foundation
import GatewayTestSupport

/// The test's stand-in for systemd's `NOTIFY_SOCKET`: a datagram socket the daemon's
/// `sd_notify` messages (`READY=1`, `STOPPING=1`, `WATCHDOG=1`, ...) arrive on.
final class NotifyListener {
    let path: String
    private let fd: Int32
    /// Every message received so far, in arrival order.
    private(set) var messages: [String] = []

    init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        let bound = withUnixSocketAddress(path) { bind(fd, $0, $1) }
        // No close here on failure: every stored property is set, so `deinit` runs and closes
        // `fd`; closing it twice could hit a number another test has reused meanwhile.
        guard bound == 0 else { throw TestFailure("bind \(path): errno \(errno)") }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or nil when none arrives within `timeout`.
    func receive(timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds =
                Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count >= 0 else { return nil }
            let message = String(decoding: buffer[..<count], as: UTF8.self)
            messages.append(message)
            return message
        }
    }

    /// Waits until a datagram whose lines include `state` (e.g. `READY=1`) arrives; returns
    /// whether it did. Messages received meanwhile are kept in ``messages``.
    @discardableResult
    func waitFor(_ state: String, timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = receive(timeout: deadline - ContinuousClock.now) else { return false }
            if message.split(separator: "\n").contains(Substring(state)) { return true }
        }
        return false
    }

    /// Every message that arrives within `duration`.
    func collect(for duration: Duration) -> [String] {
        let deadline = ContinuousClock.now + duration
        var collected: [String] = []
        while let message = receive(timeout: deadline - ContinuousClock.now) { collected.append(message) }
        return collected
    }
}
