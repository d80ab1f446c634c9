import COpenSSL

/// The NIST curves a JWK may name; others (secp256k1, Brainpool) are not accepted by eSignet.
enum ECCurve: CaseIterable {
    case p256, p384, p521

    init?(jwkName: String) {
        guard let curve = Self.allCases.first(where: { $0.jwkName == jwkName }) else { return nil }
        self = curve
    }

    var jwkName: String {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        }
    }

    /// Length of one affine coordinate, which RFC 7518 section 6.2.1.2 fixes per curve.
    var coordinateBytes: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        }
    }

    /// OpenSSL's identifier of the curve.
    var nid: Int32 {
        switch self {
        case .p256: NID_X9_62_prime256v1
        case .p384: NID_secp384r1
        case .p521: NID_secp521r1
        }
    }
}

/// Turns JWK `crv`/`x`/`y` into an EC SubjectPublicKeyInfo with an uncompressed point.
enum ECKeyBuilder {
    struct Built {
        let der: [UInt8]
        /// Coordinates left-padded to the curve's full length, as RFC 7518 requires them written.
        let x: [UInt8]
        let y: [UInt8]
    }

    /// Short coordinates are left-padded and over-long ones accepted only if the excess is
    /// leading zeros (PMS reads them as unsigned integers); each coordinate must be a field
    /// element and the point must lie on the curve (`ECGroup.contains`).
    static func build(curve: ECCurve, x rawX: [UInt8], y rawY: [UInt8]) throws(PublicKeyError) -> Built {
        guard let x = fixedWidth(rawX, curve.coordinateBytes), let y = fixedWidth(rawY, curve.coordinateBytes) else {
            throw .invalid("EC coordinate is longer than the \(curve.jwkName) field")
        }
        let point = [0x04] + x + y
        guard ECGroup.of(curve).contains(x: x, y: y, point: point) else {
            throw .invalid("EC point is not on curve \(curve.jwkName)")
        }
        return Built(der: SubjectPublicKeyInfo.ec(curve: curve, point: point), x: x, y: y)
    }

    private static func fixedWidth(_ bytes: [UInt8], _ width: Int) -> [UInt8]? {
        let significant = bytes.drop { $0 == 0 }
        guard significant.count <= width else { return nil }
        return [UInt8](repeating: 0, count: width - significant.count) + significant
    }
}

/// One curve's OpenSSL group, built once and shared by every thread.
///
/// Checks what OpenSSL's public-key check checks for these curves: both coordinates below the
/// field prime, and the point on the curve. The check that `n·Q` is the identity is left out:
/// the NIST curves have cofactor 1, so every point on the curve is in the prime-order group.
final class ECGroup: Sendable {
    /// `nonisolated(unsafe)`: the group is created in `init`, never changed and freed only in
    /// `deinit`; OpenSSL allows concurrent use of a `const EC_GROUP` (every call here takes one).
    nonisolated(unsafe) private let group: OpaquePointer
    /// The field prime, big-endian, as wide as a coordinate.
    private let prime: [UInt8]

    private static let groups = ECCurve.allCases.map { ECGroup(curve: $0) }

    static func of(_ curve: ECCurve) -> ECGroup {
        groups[ECCurve.allCases.firstIndex(of: curve)!]
    }

    private init(curve: ECCurve) {
        guard let group = EC_GROUP_new_by_curve_name(curve.nid) else {
            fatalError("libcrypto lacks curve \(curve.jwkName)")
        }
        self.group = group
        var prime = [UInt8](repeating: 0, count: curve.coordinateBytes)
        let p = BN_new()
        defer { BN_free(p) }
        guard EC_GROUP_get_curve(group, p, nil, nil, nil) == 1,
            prime.withUnsafeMutableBufferPointer({ BN_bn2binpad(p, $0.baseAddress, Int32($0.count)) }) == prime.count
        else {
            fatalError("libcrypto cannot read the field of curve \(curve.jwkName)")
        }
        self.prime = prime
    }

    deinit {
        EC_GROUP_free(group)
    }

    /// `x` and `y` are as wide as the field; `point` is `04 || x || y`.
    func contains(x: [UInt8], y: [UInt8], point: [UInt8]) -> Bool {
        // Failures leave entries on this thread's OpenSSL error queue; drop them so they neither
        // pile up nor surface in some later, unrelated call.
        defer { ERR_clear_error() }
        guard x.lexicographicallyPrecedes(prime), y.lexicographicallyPrecedes(prime) else { return false }
        guard let decoded = EC_POINT_new(group) else { return false }
        defer { EC_POINT_free(decoded) }
        let read = point.withUnsafeBufferPointer { EC_POINT_oct2point(group, decoded, $0.baseAddress, $0.count, nil) }
        return read == 1 && EC_POINT_is_on_curve(group, decoded, nil) == 1
    }
}
