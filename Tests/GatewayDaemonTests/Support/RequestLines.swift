import Foundation
import GatewayJSON
import GatewayTestSupport

/// Request lines as a client writes them by hand (no trailing newline; callers add `\n` or `\r\n`).
enum RequestLine {
    /// `{"jsonrpc":"2.0","id":ID,"method":METHOD[,"params":PARAMS]}` with `id` as raw JSON text.
    static func call(id: String, _ method: String, params: String? = nil) -> String {
        let tail = params.map { #","params":\#($0)"# } ?? ""
        return #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"\#(tail)}"#
    }

    static func call(id: Int, _ method: String, params: String? = nil) -> String {
        call(id: String(id), method, params: params)
    }

    /// A notification: no `id`, so no reply.
    static func notification(_ method: String, params: String? = nil) -> String {
        let tail = params.map { #","params":\#($0)"# } ?? ""
        return #"{"jsonrpc":"2.0","method":"\#(method)"\#(tail)}"#
    }
}

extension RPCClient {
    /// Reads `count` lines and parses each; fails when the connection closes first.
    func readJSON(count: Int) throws -> [JSONValue] {
        try (0..<count).map { _ in try readJSON() }
    }
}

extension JSONValue {
    /// `error.code`, when this is an error response.
    var rpcErrorCode: Int? { self["error"]?["code"]?.intValue }
    /// `error.data.errorCode`, when this is an error response.
    var rpcErrorName: String? { self["error"]?["data"]?["errorCode"]?.stringValue }
}

extension RPCClient {
    /// Whether the daemon closed this connection without sending anything more: EOF or a reset
    /// (the kernel resets a connection closed with unread input). False on data or timeout.
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, 0)
        return count == 0 || (count < 0 && errno == ECONNRESET)
    }
}

/// Whether the peer of the socket `descriptor` has closed it (EOF or reset), without blocking
/// and without consuming anything it sent.
func isClosedByPeer(descriptor: Int32) -> Bool {
    var byte: UInt8 = 0
    let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
    return count == 0 || (count < 0 && errno == ECONNRESET)
}

extension RPCClient {
    /// Connects to `path` as soon as something listens there (a daemon started with `wait: false`).
    static func connect(to path: String, timeout: Duration = .seconds(10)) throws -> RPCClient {
        var client: RPCClient?
        try Poll.wait(for: "a listener on \(path)", timeout: timeout) {
            client = try? RPCClient(path: path)
            return client != nil
        }
        return client!
    }

    /// Whether the daemon closes this connection (EOF or reset, nothing sent before) within
    /// `timeout`: polls without blocking, so the caller can keep other connections busy meanwhile.
    func isClosedByPeer(within timeout: Duration) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        return isClosedByPeer()
    }

    /// Bytes the daemon has sent on this connection that this client has not read yet (SIOCINQ).
    var unreadBytes: Int {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? Int(count) : -1
    }

    /// Bytes this client has sent that the daemon has not read yet (SIOCOUTQ, 0x5411 on Linux).
    var bytesNotYetReadByPeer: Int {
        var count: Int32 = 0
        return ioctl(fd, UInt(0x5411), &count) == 0 ? Int(count) : -1
    }

    /// Sends `bytes` one at a time, each after the daemon has read everything before it, so the
    /// daemon gets every byte in a read of its own.
    func sendBytewise(_ bytes: [UInt8], timeout: Duration = .seconds(10)) throws {
        for byte in bytes {
            try send(bytes: [byte])
            try Poll.wait(for: "the daemon to read a byte", timeout: timeout) { bytesNotYetReadByPeer == 0 }
        }
    }
}

extension RPCClient {
    /// Writes `bytes`, `count` times over, from a thread of its own: the daemon reads no faster
    /// than it answers, so a large pipeline blocks its writer while the test reads (or, on
    /// purpose, does not). End it with ``finish(_:)``.
    func sendInBackground(_ bytes: [UInt8], count: Int = 1) -> Thread {
        let fd = self.fd
        let writer = Thread {
            for _ in 0..<count {
                var offset = 0
                while offset < bytes.count {
                    let sent = bytes[offset...].withUnsafeBytes {
                        Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                    }
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }
        writer.start()
        return writer
    }

    /// Shuts the connection down, so a write blocked in `writer` fails, and waits for the thread
    /// to end: it must never write to the descriptor number after this client closed it (another
    /// test may have it by then). Whether it ended.
    @discardableResult
    func finish(_ writer: Thread) -> Bool {
        shutdown(fd, Int32(SHUT_RDWR))
        return Poll.until { writer.isFinished }
    }
}
