/// Turns JWK `n`/`e` bytes into an RSA SubjectPublicKeyInfo.
///
/// Every rule an RSA public key can be checked against without factoring it is checked here (size,
/// odd modulus, odd exponent below the modulus); OpenSSL's import would check no more.
enum RSAKeyBuilder {
    /// Far above any key in use; keeps a hostile JWK from costing real CPU wherever it is used.
    static let maximumBits = 16384

    struct Built {
        let der: [UInt8]
        let bits: Int
        /// Modulus and exponent without leading zero bytes, as RFC 7518 section 6.3.1 writes them.
        let modulus: [UInt8]
        let exponent: [UInt8]
    }

    /// Leading zero bytes are accepted (PMS reads `n` as an unsigned big integer) but stripped
    /// before the size is measured, so padding a short modulus with zeros cannot pass
    /// `minimumBits`, and every spelling of one key yields the same DER and client id.
    static func build(modulus rawModulus: [UInt8], exponent rawExponent: [UInt8], minimumBits: Int)
        throws(PublicKeyError) -> Built
    {
        let modulus = Array(rawModulus.drop { $0 == 0 })
        let exponent = Array(rawExponent.drop { $0 == 0 })

        guard let top = modulus.first else { throw .invalid("RSA modulus is zero") }
        let bits = (modulus.count - 1) * 8 + (8 - top.leadingZeroBitCount)
        guard bits <= maximumBits else { throw .invalid("RSA modulus is longer than \(maximumBits) bits") }
        guard bits >= minimumBits else {
            throw .invalid("RSA modulus is \(bits) bits; at least \(minimumBits) are required")
        }
        // A product of odd primes is odd; an even modulus is not an RSA key.
        guard modulus.last! & 1 == 1 else { throw .invalid("RSA modulus is even") }
        guard let lowExponentByte = exponent.last, lowExponentByte & 1 == 1, exponent != [1] else {
            throw .invalid("RSA exponent must be odd and at least 3")
        }
        guard isLess(exponent, than: modulus) else { throw .invalid("RSA exponent is not smaller than the modulus") }

        let der = SubjectPublicKeyInfo.rsa(modulus: modulus, exponent: exponent)
        return Built(der: der, bits: bits, modulus: modulus, exponent: exponent)
    }

    /// Both inputs have no leading zeros, so a shorter array is the smaller number.
    private static func isLess(_ lhs: [UInt8], than rhs: [UInt8]) -> Bool {
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        return lhs.lexicographicallyPrecedes(rhs)
    }
}
