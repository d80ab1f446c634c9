/// MISP license keys (SPEC 4.5): characters drawn uniformly from `[0-9a-zA-Z]`.
public enum LicenseKeyGenerator {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// 62 × 4: the largest multiple of the alphabet size that fits a byte. Bytes at or above it
    /// are discarded, since reducing all 256 values modulo 62 would favour the first 8 characters.
    private static let acceptedBound = UInt8(alphabet.count * (256 / alphabet.count))

    public static func generate(length: Int) -> String {
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
