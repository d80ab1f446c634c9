import GatewayCrypto

/// Published keys, so a few tests do not depend on the openssl binary.
enum Fixtures {
    /// RFC 7517 Appendix A.1, the RSA key.
    static let rfc7517RSA: [String: String] = [
        "kty": "RSA",
        "n":
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    ]
    static let rfc7517RSAClientId = "r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs"

    /// RFC 7517 Appendix A.1, the EC key.
    static let rfc7517EC: [String: String] = [
        "kty": "EC",
        "crv": "P-256",
        "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
        "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
        "use": "enc",
        "kid": "1",
    ]

    /// RFC 8037 Appendix A.2, the Ed25519 public key.
    static let rfc8037Ed25519: [String: String] = [
        "kty": "OKP",
        "crv": "Ed25519",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
    ]

    static func jwk(_ members: [String: String], otherMembers: Set<String> = []) -> JWKInput {
        JWKInput(stringMembers: members, memberNames: otherMembers)
    }

    static func replacing(_ members: [String: String], _ name: String, with value: String?) -> [String: String] {
        var copy = members
        copy[name] = value
        return copy
    }
}
