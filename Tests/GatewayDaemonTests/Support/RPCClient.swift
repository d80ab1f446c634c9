import Foundation
import GatewayJSON
import GatewayTestSupport

/// A blocking NDJSON client over a Unix socket: what PMS, eSignet or an operator's socat does.
final class RPCClient {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    /// What must outlive this connection (the daemon it talks to, when made by ``TestDaemon/client()``).
    private let owner: AnyObject?

    init(path: String, timeoutSeconds: Int = 10, owner: AnyObject? = nil) throws {
        self.owner = owner
        fd = try Self.connect(path)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A connected descriptor, or a throw with nothing left open. Kept out of `init` so a failed
    /// connect is closed exactly once: a second close from `deinit` could hit a descriptor number
    /// another test has reused meanwhile (all suites share this process).
    private static func connect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        let result = withUnixSocketAddress(path) { Foundation.connect(fd, $0, $1) }
        guard result == 0 else {
            let code = errno
            Foundation.close(fd)
            throw TestFailure("connect \(path): errno \(code)")
        }
        return fd
    }

    deinit {
        if fd >= 0 { Foundation.close(fd) }
    }

    /// Closes the connection now (a peer that vanishes); later sends and reads fail.
    func close() {
        if fd >= 0 { Foundation.close(fd) }
        fd = -1
    }

    func send(_ text: String) throws {
        try send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw TestFailure("send: errno \(errno)") }
            offset += written
        }
    }

    /// The next line the daemon sent, or nil when it closed (or reset) the connection.
    func readLine() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            // A reset is a close too: the kernel resets a connection the daemon closed while our
            // unread requests were still queued (e.g. on shutdown); queued replies come first.
            if count == 0 || (count < 0 && errno == ECONNRESET) { return nil }
            guard count > 0 else { throw TestFailure("recv: errno \(errno) (timeout?)") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    func readJSON() throws -> JSONValue {
        guard let line = try readLine() else { throw TestFailure("connection closed") }
        return try JSONValue.parse(line)
    }

    /// Sends one request and returns the whole response object.
    func request(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let id = nextID
        nextID += 1
        var message: JSONObject = ["jsonrpc": "2.0", "id": JSONValue(id), "method": .string(method)]
        if let params { message["params"] = params }
        try send(JSONValue.object(message).serialized() + "\n")
        return try readJSON()
    }

    /// The `result`, failing the test with the error when there is one.
    func call(_ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        let response = try request(method, params)
        guard let result = response["result"] else {
            throw TestFailure("\(method) failed: \(response.serialized())")
        }
        return result
    }

    /// The `error.data.errorCode` of a call expected to fail.
    func errorCode(_ method: String, _ params: JSONValue? = nil) throws -> String? {
        try request(method, params)["error"]?["data"]?["errorCode"]?.stringValue
    }
}
