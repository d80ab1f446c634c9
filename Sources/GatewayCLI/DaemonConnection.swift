import GatewayJSON

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking connection to the daemon's socket: a request line out, a response line back.
///
/// Plain sockets rather than NIO: a command makes one call (or a few, following cursors) and
/// exits, so an event loop would only add start-up time and threads.
package final class DaemonConnection {
    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var nextID = 1

    /// Connects to `path`; ``CLIError/unavailable(_:)`` when nobody listens there,
    /// ``CLIError/permission(_:)`` when the socket's mode keeps this user out.
    package init(path: String) throws(CLIError) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else {
            throw .usage("socket path must be 1 to \(capacity - 1) bytes: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unavailable("socket: \(Self.describe(errno))") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            if code == EACCES || code == EPERM {
                throw .permission("cannot connect to \(path): \(Self.describe(code))")
            }
            throw .unavailable("nobody answers on \(path): \(Self.describe(code))")
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Sends one request and returns its `result`; a JSON-RPC error becomes ``CLIError/daemon``.
    package func call(_ method: String, _ params: JSONObject) throws(CLIError) -> JSONValue {
        let id = nextID
        nextID += 1
        var request: JSONObject = ["jsonrpc": "2.0", "id": JSONValue(id), "method": .string(method)]
        if !params.isEmpty { request["params"] = .object(params) }
        var bytes = JSONValue.object(request).serializedBytes()
        bytes.append(UInt8(ascii: "\n"))
        try send(bytes)
        let line = try readLine()
        guard let response = try? JSONValue.parse(line), response.objectValue != nil else {
            throw .unavailable("the daemon on \(path) answered something that is not JSON-RPC")
        }
        if let result = response["result"] { return result }
        guard let error = response["error"] else {
            throw .unavailable("the daemon on \(path) answered without a result or an error")
        }
        throw .daemon(
            code: error["code"]?.intValue ?? 0,
            errorCode: error["data"]?["errorCode"]?.stringValue ?? "-",
            message: error["data"]?["message"]?.stringValue ?? error["message"]?.stringValue ?? "")
    }

    private func send(_ bytes: [UInt8]) throws(CLIError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw .unavailable("the daemon on \(path) closed the connection") }
            offset += written
        }
    }

    private func readLine() throws(CLIError) -> [UInt8] {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .unavailable("the daemon on \(path) closed the connection without answering") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
