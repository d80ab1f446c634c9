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

    /// OpenSSL's group name, from the shim so the pointer outlives the parameter builder.
    var groupName: UnsafePointer<CChar> {
        switch self {
        case .p256: pmsgw_group_p256()
        case .p384: pmsgw_group_p384()
        case .p521: pmsgw_group_p521()
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
    /// leading zeros (PMS reads them as unsigned integers); the point must lie on the curve, which
    /// OpenSSL checks both when importing it and again in `EVP_PKEY_public_check`.
    static func build(curve: ECCurve, x rawX: [UInt8], y rawY: [UInt8]) throws(PublicKeyError) -> Built {
        guard let x = fixedWidth(rawX, curve.coordinateBytes), let y = fixedWidth(rawY, curve.coordinateBytes) else {
            throw .invalid("EC coordinate is longer than the \(curve.jwkName) field")
        }
        let point = [0x04] + x + y
        let der = point.withUnsafeBytes { buffer in
            EVPPublicKey.subjectPublicKeyInfo(keyType: pmsgw_keytype_ec(), checkPublicKey: true) { builder in
                OSSL_PARAM_BLD_push_utf8_string(builder, pmsgw_param_group_name(), curve.groupName, 0) == 1
                    && OSSL_PARAM_BLD_push_octet_string(
                        builder, pmsgw_param_pub_key(), buffer.baseAddress, buffer.count) == 1
            }
        }
        guard let der else { throw .invalid("EC point is not on curve \(curve.jwkName)") }
        return Built(der: der, x: x, y: y)
    }

    private static func fixedWidth(_ bytes: [UInt8], _ width: Int) -> [UInt8]? {
        let significant = bytes.drop { $0 == 0 }
        guard significant.count <= width else { return nil }
        return [UInt8](repeating: 0, count: width - significant.count) + significant
    }
}
