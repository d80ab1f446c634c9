import Foundation
import GatewayCrypto
import Testing

/// Keys made by `openssl genpkey`, hashed both by the library and by a shell pipeline that
/// follows SPEC 4.4 literally.
@Suite("Client ids agree with the openssl command line")
struct OpenSSLCrossCheckTests {
    enum KeyKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case rsa2048, rsa3072Exponent3, p256, p384, p521, ed25519, x25519

        var testDescription: String { rawValue }

        var genpkeyArguments: String {
            switch self {
            case .rsa2048: "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"
            case .rsa3072Exponent3: "-algorithm RSA -pkeyopt rsa_keygen_bits:3072 -pkeyopt rsa_keygen_pubexp:3"
            case .p256: "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
            case .p384: "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"
            case .p521: "-algorithm EC -pkeyopt ec_paramgen_curve:P-521"
            case .ed25519: "-algorithm ED25519"
            case .x25519: "-algorithm X25519"
            }
        }

        var curve: (name: String, coordinateBytes: Int)? {
            switch self {
            case .p256: ("P-256", 32)
            case .p384: ("P-384", 48)
            case .p521: ("P-521", 66)
            default: nil
            }
        }

        var isOKP: Bool { self == .ed25519 || self == .x25519 }
    }

    /// The spec's formula, spelled out with standard tools; OKP keys are the last 32 DER bytes.
    static func commandLineClientId(_ cli: OpenSSLCLI, okp: Bool) throws -> String {
        let keyBytes = "openssl pkey -in key.pem -pubout -outform DER" + (okp ? " | tail -c 32" : "")
        return try cli.shellText(
            keyBytes
                + " | base64 -w0 | tr -d '\\n' | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='")
    }

    /// The JWK a client would send for the key in `spki`, read with the tests' own DER reader.
    static func jwk(for kind: KeyKind, spki: [UInt8]) throws -> [String: String] {
        if kind.isOKP {
            let raw = try DERReader.subjectPublicKey(ofSPKI: spki)
            return ["kty": "OKP", "crv": kind == .ed25519 ? "Ed25519" : "X25519", "x": base64URL(raw)]
        }
        if let curve = kind.curve {
            let point = try DERReader.subjectPublicKey(ofSPKI: spki)
            try #require(point.count == 1 + 2 * curve.coordinateBytes && point.first == 0x04)
            return [
                "kty": "EC", "crv": curve.name,
                "x": base64URL(point[1...curve.coordinateBytes]),
                "y": base64URL(point[(1 + curve.coordinateBytes)...]),
            ]
        }
        let (n, e) = try DERReader.rsaModulusAndExponent(ofSPKI: spki)
        // DER gives n a sign byte; a JWK has none.
        return ["kty": "RSA", "n": base64URL(n.drop { $0 == 0 }), "e": base64URL(e), "kid": "generated"]
    }

    @Test(arguments: KeyKind.allCases)
    func clientIdMatchesCommandLine(_ kind: KeyKind) throws {
        let cli = try OpenSSLCLI()
        try cli.shell("openssl genpkey \(kind.genpkeyArguments) -out key.pem")
        let spki = [UInt8](try cli.shell("openssl pkey -in key.pem -pubout -outform DER"))
        let expected = try Self.commandLineClientId(cli, okp: kind.isOKP)
        let members = try Self.jwk(for: kind, spki: spki)

        let key = try PublicKeyParser.parseForHashing(JWKInput(stringMembers: members), minRsaBits: 2048)

        #expect(expected.count == 43)
        #expect(key.clientId == expected)
        #expect(key.subjectPublicKeyInfoDER == (kind.isOKP ? nil : spki))
        #expect(key.crv == members["crv"])
        for name in ["n", "e", "crv", "x", "y"] {
            #expect(key.publicJWK[name] == members[name], "member \(name)")
        }
        switch kind {
        case .rsa2048: #expect(key.bits == 2048)
        case .rsa3072Exponent3: #expect(key.bits == 3072 && members["e"] == "Aw")
        default: #expect(key.bits == nil)
        }

        if kind.isOKP {
            #expect(throws: PublicKeyError.self) {
                try PublicKeyParser.parseForClient(JWKInput(stringMembers: members), minRsaBits: 2048)
            }
        } else {
            let clientKey = try PublicKeyParser.parseForClient(JWKInput(stringMembers: members), minRsaBits: 2048)
            #expect(clientKey == key)
        }
    }

    @Test func rsa1024IsHashedButRefusedBelowTheMinimum() throws {
        let cli = try OpenSSLCLI()
        try cli.shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out key.pem")
        let spki = [UInt8](try cli.shell("openssl pkey -in key.pem -pubout -outform DER"))
        let members = try Self.jwk(for: .rsa2048, spki: spki)
        let jwk = JWKInput(stringMembers: members)

        let key = try PublicKeyParser.parseForHashing(jwk, minRsaBits: 1024)
        #expect(key.bits == 1024)
        #expect(key.clientId == (try Self.commandLineClientId(cli, okp: false)))

        #expect(throws: PublicKeyError.invalid("RSA modulus is 1024 bits; at least 2048 are required")) {
            try PublicKeyParser.parseForClient(jwk, minRsaBits: 2048)
        }
    }

    /// The DER the library builds from a published EC key is accepted and re-encoded unchanged by
    /// the openssl command line.
    @Test func ecDEROfPublishedKeyRoundTripsThroughOpenSSL() throws {
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(Fixtures.rfc7517EC), minRsaBits: 2048)
        let der = try #require(key.subjectPublicKeyInfoDER)
        let cli = try OpenSSLCLI()
        try Data(der).write(to: cli.directory.appendingPathComponent("ours.der"))
        let reencoded = [UInt8](try cli.shell("openssl pkey -pubin -inform DER -in ours.der -pubout -outform DER"))
        #expect(reencoded == der)
        #expect(der.count == 91)
    }

    @Test func publishedEd25519KeyHashesItsRawBytes() throws {
        let key = try PublicKeyParser.parseForHashing(Fixtures.jwk(Fixtures.rfc8037Ed25519), minRsaBits: 2048)
        let raw = try #require(Data(base64Encoded: "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="))
        let cli = try OpenSSLCLI()
        let expected = try cli.shellText(
            "printf '%s' '\(raw.base64EncodedString())' | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='"
        )
        #expect(key.clientId == expected)
        #expect(key.subjectPublicKeyInfoDER == nil)
    }
}

func base64URL(_ bytes: some Sequence<UInt8>) -> String {
    Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
}
