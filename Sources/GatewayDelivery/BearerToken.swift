#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `esignet.bearerTokenFile`, read at every eSignet attempt.
///
/// Reading per attempt (one small file, three syscalls) is what makes a rotated token take
/// effect on the very next request without a reload signal, and a token that was wrong when an
/// attempt failed is not cached into the retries. The token never reaches a log line or `lastError`.
enum BearerToken {
    /// The file's contents without surrounding whitespace (a trailing newline is the norm).
    static func load(path: String) throws(DeliveryFailure) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DeliveryFailure("bearer token file \(path) cannot be opened (errno \(errno))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DeliveryFailure("bearer token file \(path) cannot be read (errno \(errno))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            // A token is a few KiB at most; anything bigger is the wrong file, not a token.
            if bytes.count > 64 * 1024 {
                throw DeliveryFailure("bearer token file \(path) is larger than 64 KiB")
            }
        }
        let token = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard !token.isEmpty else { throw DeliveryFailure("bearer token file \(path) is empty") }
        // A header value cannot carry a line break; refusing it beats sending a split header.
        guard !token.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw DeliveryFailure("bearer token file \(path) holds more than one line")
        }
        return token
    }
}

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
