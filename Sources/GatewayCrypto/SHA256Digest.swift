import COpenSSL

/// SHA-256 over libcrypto, the digest behind client ids and the journal's hash chain.
package enum SHA256Digest {
    package static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let algorithm = FetchedSHA256.shared.algorithm
        var digest = [UInt8](repeating: 0, count: 32)
        let ok =
            bytes.withContiguousStorageIfAvailable { buffer in
                digest.withUnsafeMutableBufferPointer {
                    pmsgw_sha256(algorithm, buffer.baseAddress, buffer.count, $0.baseAddress)
                }
            }
            ?? Array(bytes).withUnsafeBufferPointer { buffer in
                digest.withUnsafeMutableBufferPointer {
                    pmsgw_sha256(algorithm, buffer.baseAddress, buffer.count, $0.baseAddress)
                }
            }
        precondition(ok == 1, "libcrypto SHA-256 failed")
        return digest
    }

    /// Lower-case hex of the digest, as the journal stores it.
    package static func hex(_ bytes: some Collection<UInt8>) -> String {
        hash(bytes).hexString
    }
}

/// The SHA-256 implementation, fetched from OpenSSL's default provider once for the process.
private final class FetchedSHA256: Sendable {
    static let shared = FetchedSHA256()

    /// `nonisolated(unsafe)`: fetched in `init` and never changed; OpenSSL allows one fetched
    /// `EVP_MD` to serve any number of digests on any threads at once. Never freed: it lives as
    /// long as the process.
    nonisolated(unsafe) let algorithm: OpaquePointer

    private init() {
        guard let algorithm = EVP_MD_fetch(nil, pmsgw_sha256_name(), nil) else {
            fatalError("libcrypto has no SHA-256")
        }
        self.algorithm = algorithm
    }
}

extension Collection<UInt8> {
    /// Lower-case hexadecimal.
    package var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
