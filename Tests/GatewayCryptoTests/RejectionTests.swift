import GatewayCrypto
import Testing

@Suite("JWKs that are refused")
struct RejectionTests {
    /// What each parser, `parseForClient` then `parseForHashing`, makes of `jwk`; nil if accepted.
    static func errors(_ jwk: JWKInput) -> [PublicKeyError?] {
        [
            error { () throws(PublicKeyError) in _ = try PublicKeyParser.parseForClient(jwk, minRsaBits: 2048) },
            error { () throws(PublicKeyError) in _ = try PublicKeyParser.parseForHashing(jwk, minRsaBits: 2048) },
        ]
    }

    private static func error(_ body: () throws(PublicKeyError) -> Void) -> PublicKeyError? {
        do throws(PublicKeyError) {
            try body()
            return nil
        } catch {
            return error
        }
    }

    static func isInvalid(_ error: PublicKeyError?) -> Bool {
        if case .invalid = error { return true }
        return false
    }

    @Test(arguments: ["d", "p", "q", "dp", "dq", "qi", "oth", "k"])
    func privateMembersAreRefused(_ name: String) {
        let refused = PublicKeyError.invalid("private key members are not accepted")
        for base in [Fixtures.rfc7517RSA, Fixtures.rfc7517EC] {
            #expect(Self.errors(Fixtures.jwk(Fixtures.replacing(base, name, with: "AQAB"))) == [refused, refused])
            #expect(Self.errors(Fixtures.jwk(base, otherMembers: [name])) == [refused, refused])
        }
        // OKP is refused for clients anyway; hashing must refuse it for the private member.
        #expect(
            Self.errors(Fixtures.jwk(Fixtures.replacing(Fixtures.rfc8037Ed25519, name, with: "AQAB")))[1] == refused)
    }

    @Test func okpIsRefusedForClients() {
        #expect(Self.errors(Fixtures.jwk(Fixtures.rfc8037Ed25519)) == [.invalid("kty must be RSA or EC"), nil])
    }

    @Test(arguments: ["oct", "rsa", "", "EC "])
    func unsupportedKtyIsInvalid(_ kty: String) {
        let errors = Self.errors(Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517RSA, "kty", with: kty)))
        #expect(errors.allSatisfy(Self.isInvalid))
    }

    @Test func smallModulusIsRefusedEvenWhenPaddedWithZeros() throws {
        let n = try #require(Base64.decodeURL(Fixtures.rfc7517RSA["n"]!))
        var short = Array(n.prefix(128))
        short[127] |= 1
        for modulus in [short, [UInt8](repeating: 0, count: 200) + short] {
            let jwk = Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517RSA, "n", with: Base64.encodeURL(modulus)))
            #expect(
                Self.errors(jwk)
                    == Array(repeating: .invalid("RSA modulus is 1024 bits; at least 2048 are required"), count: 2))
            #expect((try? PublicKeyParser.parseForClient(jwk, minRsaBits: 1024))?.bits == 1024)
        }
    }

    @Test(arguments: [
        ("AA", "n"), ("AQAA", "e"), ("AQ", "e"), ("Ag", "e"), ("AAAA", "e"), ("", "e"),
    ])
    func unusableRSANumbersAreInvalid(_ value: String, _ member: String) {
        let jwk = Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517RSA, member, with: value))
        #expect(Self.errors(jwk).allSatisfy(Self.isInvalid))
    }

    @Test func evenModulusAndExponentAboveModulusAreInvalid() throws {
        var n = try #require(Base64.decodeURL(Fixtures.rfc7517RSA["n"]!))
        let exponentTooLarge = Fixtures.replacing(Fixtures.rfc7517RSA, "e", with: Base64.encodeURL([0xff] + n))
        #expect(Self.errors(Fixtures.jwk(exponentTooLarge)).allSatisfy(Self.isInvalid))
        n[n.count - 1] &= 0xfe
        let even = Fixtures.replacing(Fixtures.rfc7517RSA, "n", with: Base64.encodeURL(n))
        #expect(Self.errors(Fixtures.jwk(even)) == Array(repeating: .invalid("RSA modulus is even"), count: 2))
    }

    @Test func exponentThreeIsAccepted() {
        let jwk = Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517RSA, "e", with: "Aw"))
        #expect(Self.errors(jwk) == [nil, nil])
    }

    @Test func ecPointOffTheCurveIsInvalid() throws {
        var y = try #require(Base64.decodeURL(Fixtures.rfc7517EC["y"]!))
        y[31] ^= 1
        let offCurve = Fixtures.replacing(Fixtures.rfc7517EC, "y", with: Base64.encodeURL(y))
        #expect(
            Self.errors(Fixtures.jwk(offCurve))
                == Array(repeating: .invalid("EC point is not on curve P-256"), count: 2))
    }

    @Test func ecCoordinatesOutsideTheFieldAreInvalid() {
        let outsideField = Fixtures.replacing(
            Fixtures.rfc7517EC, "x", with: Base64.encodeURL([UInt8](repeating: 0xff, count: 32)))
        let tooLong = Fixtures.replacing(
            Fixtures.rfc7517EC, "x", with: Base64.encodeURL([UInt8](repeating: 0x01, count: 33)))
        let otherCurve = Fixtures.replacing(Fixtures.rfc7517EC, "crv", with: "P-384")
        for members in [outsideField, tooLong, otherCurve] {
            #expect(Self.errors(Fixtures.jwk(members)).allSatisfy(Self.isInvalid))
        }
    }

    @Test(arguments: ["P-192", "secp256k1", "p-256", "Ed25519"])
    func unsupportedCurvesAreInvalid(_ crv: String) {
        let jwk = Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517EC, "crv", with: crv))
        #expect(Self.errors(jwk) == Array(repeating: .invalid("EC crv must be P-256, P-384 or P-521"), count: 2))
    }

    @Test func badOKPKeysAreInvalidForHashing() {
        let shortX = Fixtures.replacing(
            Fixtures.rfc8037Ed25519, "x", with: Base64.encodeURL([UInt8](repeating: 7, count: 31)))
        let ed448 = Fixtures.replacing(Fixtures.rfc8037Ed25519, "crv", with: "Ed448")
        for members in [shortX, ed448] {
            #expect(Self.isInvalid(Self.errors(Fixtures.jwk(members))[1]))
        }
    }

    @Test(arguments: ["!!!!", "ab+c", "ab/c", "ab c", "abc\n", "a", "QR", "QQ=", "=QQ", "Q===", "AQ\u{00e9}"])
    func garbageBase64URLIsUnprocessable(_ garbage: String) {
        for (base, member) in [
            (Fixtures.rfc7517RSA, "n"), (Fixtures.rfc7517RSA, "e"), (Fixtures.rfc7517EC, "x"),
            (Fixtures.rfc7517EC, "y"), (Fixtures.rfc8037Ed25519, "x"),
        ] {
            let jwk = Fixtures.jwk(Fixtures.replacing(base, member, with: garbage))
            #expect(Self.errors(jwk) == [.unprocessable, .unprocessable], "\(member) = \(garbage)")
        }
    }

    @Test(arguments: [
        (Fixtures.rfc7517RSA, "kty"), (Fixtures.rfc7517RSA, "n"), (Fixtures.rfc7517RSA, "e"),
        (Fixtures.rfc7517EC, "kty"), (Fixtures.rfc7517EC, "crv"), (Fixtures.rfc7517EC, "x"), (Fixtures.rfc7517EC, "y"),
        (Fixtures.rfc8037Ed25519, "crv"), (Fixtures.rfc8037Ed25519, "x"),
    ])
    func missingOrNonStringRequiredMembersAreUnprocessable(_ base: [String: String], _ member: String) {
        let missing = Fixtures.jwk(Fixtures.replacing(base, member, with: nil))
        let notString = Fixtures.jwk(Fixtures.replacing(base, member, with: nil), otherMembers: [member])
        #expect(Self.errors(missing) == [.unprocessable, .unprocessable])
        #expect(Self.errors(notString) == [.unprocessable, .unprocessable])
    }

    @Test(arguments: [("alg", ""), ("alg", "  "), ("use", ""), ("use", "\t")])
    func blankAlgOrUseIsInvalid(_ member: String, _ value: String) {
        let jwk = Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517RSA, member, with: value))
        #expect(Self.errors(jwk) == Array(repeating: .invalid("\(member) must not be blank"), count: 2))
    }

    @Test(arguments: ["alg", "use", "kid"])
    func nonStringAlgUseOrKidIsInvalid(_ member: String) {
        let jwk = Fixtures.jwk(Fixtures.replacing(Fixtures.rfc7517RSA, member, with: nil), otherMembers: [member])
        #expect(Self.errors(jwk) == Array(repeating: .invalid("\(member) must be a string"), count: 2))
    }
}
