import COpenSSL

/// The OpenSSL 3 provider path shared by the RSA and EC builders: parameters in, an `EVP_PKEY`
/// and its SubjectPublicKeyInfo out. Using OpenSSL's own encoder means the DER matches
/// `openssl pkey -pubout -outform DER` byte for byte, which is what the client id depends on.
enum EVPPublicKey {
    /// Builds a public-only key of `keyType` from parameters pushed by `push`, runs OpenSSL's
    /// public-key check when asked, and returns the DER encoding; nil on any failure.
    ///
    /// Everything `push` hands the builder (key names, string values, buffers, BIGNUMs) is kept
    /// by pointer until `OSSL_PARAM_BLD_to_param`, which runs inside this call: callers must keep
    /// those alive for the whole call and pass names from the shim's static C strings.
    static func subjectPublicKeyInfo(
        keyType: UnsafePointer<CChar>,
        checkPublicKey: Bool,
        push: (OpaquePointer) -> Bool
    ) -> [UInt8]? {
        // Failures leave entries on this thread's OpenSSL error queue; drop them so they neither
        // pile up nor surface in some later, unrelated call.
        defer { ERR_clear_error() }

        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard push(builder), let params = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(params) }

        guard let context = EVP_PKEY_CTX_new_from_name(nil, keyType, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { return nil }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_fromdata(context, &key, pmsgw_selection_public_key(), params) == 1, let key else {
            return nil
        }
        defer { EVP_PKEY_free(key) }

        if checkPublicKey {
            guard let checkContext = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { return nil }
            defer { EVP_PKEY_CTX_free(checkContext) }
            guard EVP_PKEY_public_check(checkContext) == 1 else { return nil }
        }
        return encodeSubjectPublicKeyInfo(key)
    }

    private static func encodeSubjectPublicKeyInfo(_ key: OpaquePointer) -> [UInt8]? {
        var encoded: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_PUBKEY(key, &encoded)
        guard length > 0, let encoded else { return nil }
        defer { pmsgw_free(encoded) }
        return Array(UnsafeBufferPointer(start: encoded, count: Int(length)))
    }
}
