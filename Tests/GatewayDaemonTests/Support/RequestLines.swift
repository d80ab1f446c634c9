import Foundation
import GatewayJSON

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
