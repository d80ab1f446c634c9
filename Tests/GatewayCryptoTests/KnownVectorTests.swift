import Foundation
import GatewayCrypto
import Testing

@Suite("Published keys")
struct KnownVectorTests {
    @Test func rfc7517RSAKeyGivesTheSpecClientId() throws {
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(Fixtures.rfc7517RSA), minRsaBits: 2048)
        #expect(key.clientId == Fixtures.rfc7517RSAClientId)
        #expect(key.kty == "RSA")
        #expect(key.bits == 2048)
        #expect(key.crv == nil)
        #expect(key.subjectPublicKeyInfoDER?.count == 294)
    }

    @Test(
        arguments: [
            ["kid": "another"], ["kid": nil, "alg": nil], ["alg": "PS256", "use": "sig"], ["use": "enc", "kid": ""],
        ] as [[String: String?]])
    func kidAlgAndUseDoNotChangeTheClientId(_ changes: [String: String?]) throws {
        var members = Fixtures.rfc7517RSA
        for (name, value) in changes { members[name] = value }
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(members), minRsaBits: 2048)
        #expect(key.clientId == Fixtures.rfc7517RSAClientId)
    }

    @Test func leadingZeroBytesInTheModulusDoNotChangeTheKey() throws {
        let n = try #require(Base64.decodeURL(Fixtures.rfc7517RSA["n"]!))
        let padded = Fixtures.replacing(Fixtures.rfc7517RSA, "n", with: Base64.encodeURL([0, 0] + n))
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(padded), minRsaBits: 2048)
        #expect(key.clientId == Fixtures.rfc7517RSAClientId)
        #expect(key.bits == 2048)
        #expect(key.publicJWK["n"] == Fixtures.rfc7517RSA["n"])
    }

    @Test func publicMembersAreOrderedAndCarryNoExtras() throws {
        var members = Fixtures.rfc7517RSA
        members["use"] = "sig"
        members["x5u"] = "https://example.com/key"
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(members), minRsaBits: 2048)
        #expect(key.publicMembers.map(\.name) == ["kty", "n", "e", "kid", "alg", "use"])
        #expect(
            key.publicMembers.map(\.value) == [
                "RSA", Fixtures.rfc7517RSA["n"]!, "AQAB", "2011-04-29", "RS256", "sig",
            ])
    }

    @Test func rfc7517ECKeyIsAccepted() throws {
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(Fixtures.rfc7517EC), minRsaBits: 2048)
        #expect(key.kty == "EC")
        #expect(key.crv == "P-256")
        #expect(key.bits == nil)
        #expect(key.clientId.count == 43)
        #expect(key.publicMembers.map(\.name) == ["kty", "crv", "x", "y", "kid", "use"])
    }

    @Test func shortECCoordinatesArePaddedToTheCurveSize() throws {
        // Whatever the spelling, one point gives one DER and one id.
        let x = try #require(Base64.decodeURL(Fixtures.rfc7517EC["x"]!))
        let padded = Fixtures.replacing(Fixtures.rfc7517EC, "x", with: Base64.encodeURL([0] + x))
        let reference = try PublicKeyParser.parseForClient(Fixtures.jwk(Fixtures.rfc7517EC), minRsaBits: 2048)
        let key = try PublicKeyParser.parseForClient(Fixtures.jwk(padded), minRsaBits: 2048)
        #expect(key.clientId == reference.clientId)
        #expect(key.publicJWK["x"] == Fixtures.rfc7517EC["x"])
    }

    @Test func sha256OfABC() {
        #expect(
            SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// One hasher, many digests (as a commit's journal entries use it): each is the digest of its
    /// own input, whatever came before it.
    @Test func aReusedHasherGivesEachInputItsOwnDigest() {
        let hasher = SHA256Hasher()
        let long = [UInt8](repeating: 0x61, count: 1_000)
        let vectors: [([UInt8], String)] = [
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (long, SHA256Digest.hex(long)),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ]
        for (input, digest) in vectors {
            #expect(hasher.hex(input) == digest)
        }
        #expect(SHA256Digest.hex(long) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
