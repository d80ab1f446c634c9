import COpenSSL

/// Bytes from OpenSSL's CSPRNG, the one source of randomness for secrets the gateway issues.
package enum SecureRandom {
    /// Traps if the generator fails: a predictable secret is worse than a crashed request, and
    /// OpenSSL only fails here when the system cannot seed it at all.
    package static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "random byte count out of range")
        var buffer = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return buffer }
        let status = buffer.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(status == 1, "OpenSSL RAND_bytes failed")
        return buffer
    }
}

/// Random (version 4) UUIDs from the CSPRNG, for outbox message and event ids (RFC 9562 section 5.4).
package enum RandomUUID {
    package static func make() -> String {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = (bytes[6] & 0x0f) | 0x40
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.hexString
        let cuts = [8, 12, 16, 20]
        var text = ""
        for (offset, character) in hex.enumerated() {
            if cuts.contains(offset) { text.append("-") }
            text.append(character)
        }
        return text
    }
}

/// MISP license keys (SPEC 4.5): characters drawn uniformly from `[0-9a-zA-Z]`.
package enum LicenseKeyGenerator {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// 62 × 4: the largest multiple of the alphabet size that fits a byte. Bytes at or above it
    /// are discarded, since reducing all 256 values modulo 62 would favour the first 8 characters.
    private static let acceptedBound = UInt8(alphabet.count * (256 / alphabet.count))

    package static func generate(length: Int) -> String {
        precondition(length >= 0, "license key length must not be negative")
        var key = [UInt8]()
        key.reserveCapacity(length)
        while key.count < length {
            // About 3% of bytes are rejected; a little headroom usually finishes in one draw.
            let needed = length - key.count
            for byte in SecureRandom.bytes(needed + needed / 16 + 4) where byte < acceptedBound {
                key.append(alphabet[Int(byte) % alphabet.count])
                if key.count == length { break }
            }
        }
        return String(decoding: key, as: UTF8.self)
    }
}
