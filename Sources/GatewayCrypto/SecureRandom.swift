import COpenSSL

/// Bytes from OpenSSL's CSPRNG, the one source of randomness for secrets the gateway issues.
public enum SecureRandom {
    /// Traps if the generator fails: a predictable secret is worse than a crashed request, and
    /// OpenSSL only fails here when the system cannot seed it at all.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "random byte count out of range")
        var buffer = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return buffer }
        let status = buffer.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(status == 1, "OpenSSL RAND_bytes failed")
        return buffer
    }
}
