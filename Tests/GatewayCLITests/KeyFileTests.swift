import GatewayCrypto
import GatewayJSON
import GatewayTestSupport
import Testing

@testable import GatewayCLI

/// `--key FILE`: what is refused and what is kept of a JWK file. PEM files from `openssl
/// genpkey` are checked end to end against the daemon in `CLIKeyTests`.
@Suite struct KeyFileTests {
    static func jwk(_ text: String) throws(CLIError) -> JSONObject {
        try KeyFile.publicJWK(bytes: Array(text.utf8), name: "key")
    }

    static func exitCode(_ text: String) -> Int32? {
        do {
            _ = try jwk(text)
            return nil
        } catch {
            return error.exitCode
        }
    }

    @Test func aPrivateJWKLosesEveryPrivateMember() throws {
        let key = try Self.jwk(
            #"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"secret","p":"x","q":"y","dp":"1","dq":"2","qi":"3","kid":"k"}"#)
        #expect(key == ["kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "k"])
        let set = try Self.jwk(#"{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"secret"}]}"#)
        #expect(set == ["kty": "EC", "crv": "P-256", "x": "a", "y": "b"])
    }

    @Test func encryptedKeysAreRefusedAsDataErrors() {
        let pkcs8 = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
        let traditional =
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n-----END RSA PRIVATE KEY-----\n"
        for text in [pkcs8, traditional] {
            do {
                _ = try Self.jwk(text)
                Issue.record("an encrypted key was accepted")
            } catch {
                #expect(error.exitCode == 65)
                #expect(error.line.contains("encrypted"), "\(error.line)")
            }
        }
    }

    @Test func whatIsNotAKeyIsADataError() {
        #expect(Self.exitCode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n") == 65)
        #expect(Self.exitCode("-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n") == 65)
        #expect(Self.exitCode("not a key") == 65)
        #expect(Self.exitCode("[1]") == 65)
        #expect(Self.exitCode(#"{"keys":[]}"#) == 65)
    }

    @Test func anUnreadableFileIsADataError() {
        do {
            _ = try KeyFile.publicJWK(path: "/nonexistent/key.pem")
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.exitCode == 65)
        }
    }

    /// The PEM reader gives the JWK the library hashes to the same id as the DER OpenSSL writes.
    @Test func pemAndItsJWKHashAlike() throws {
        let scratch = try TemporaryDirectory(prefix: "pgw-key")
        try Shell.run(
            "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out \(scratch.file("k.pem")) 2>/dev/null")
        let jwk = try KeyFile.publicJWK(path: scratch.file("k.pem"))
        #expect(jwk.keys == ["kty", "crv", "x", "y"])
        let input = JWKInput(
            stringMembers: Dictionary(uniqueKeysWithValues: jwk.map { ($0.key, $0.value.stringValue ?? "") }))
        let key = try PublicKeyParser.parseForHashing(input, minRsaBits: 2048)
        let der = try Shell.run(
            "openssl pkey -in \(scratch.file("k.pem")) -pubout -outform DER | od -An -v -tx1 | tr -d ' \\n'")
        #expect(key.subjectPublicKeyInfoDER?.map { String(format: "%02x", $0) }.joined() == der)
    }
}
