import Testing

@testable import GatewayServices

/// A trimmed but real-looking eSignet `esignet-default.properties`: every syntax `Properties.load`
/// accepts, with the license property itself continued over three lines.
enum SampleProperties {
    static let licenseLine = 9
    static let lines: [String] = [
        "## ------------------------------------------ eSignet -----------------------------------------",
        "! legacy comment style, kept as is",
        "",
        "mosip.esignet.id-token-expire-seconds=3600",
        "mosip.esignet.access-token-expire-seconds = 3600",
        "mosip.esignet.cache.names: clientdetails,preauth,authenticated",
        "mosip.esignet.supported.ui.locales     eng,ara",
        "  # indented comment mentioning mosip.esignet.misp.license.key=not-this-one",
        "",
        "mosip.esignet.misp.license.key=oldKeyPart1\\",
        "    oldKeyPart2\\",
        "    oldKeyPart3",
        "mosip.esignet.authenticator.default.auth-factor.kyc.skip-key-binding=false",
        "mosip.esignet.ui.config.key-values={'sbi.env': 'Developer', \\",
        "   'sbi.timeout.DISC': 30, \\",
        "   'resend.otp.delay.secs': 120 }",
        "mosip.kernel.auth.appids.realm.map={admin:'mosip',crereq:'mosip'}",
        "",
        "# trailing comment",
    ]
    static var text: String { lines.joined(separator: "\n") + "\n" }
    static var bytes: [UInt8] { Array(text.utf8) }
}

@Suite struct PropertiesFileTests {
    let property = "mosip.esignet.misp.license.key"

    func text(_ file: PropertiesFile) -> String { String(decoding: file.bytes, as: UTF8.self) }

    @Test func parsesEverySeparatorAndContinuation() {
        let file = PropertiesFile(bytes: SampleProperties.bytes)
        #expect(file.value(of: "mosip.esignet.id-token-expire-seconds") == "3600")
        #expect(file.value(of: "mosip.esignet.access-token-expire-seconds") == "3600")
        #expect(file.value(of: "mosip.esignet.cache.names") == "clientdetails,preauth,authenticated")
        #expect(file.value(of: "mosip.esignet.supported.ui.locales") == "eng,ara")
        #expect(file.value(of: property) == "oldKeyPart1oldKeyPart2oldKeyPart3")
        #expect(
            file.value(of: "mosip.esignet.ui.config.key-values")
                == "{'sbi.env': 'Developer', 'sbi.timeout.DISC': 30, 'resend.otp.delay.secs': 120 }")
        #expect(PropertiesFile(bytes: SampleProperties.bytes).bytes == SampleProperties.bytes)
    }

    @Test func replacesOnlyTheContinuedLicenseProperty() {
        var file = PropertiesFile(bytes: SampleProperties.bytes)
        let changed = file.set(property, to: "NEWkey123")
        #expect(changed)
        let lines = text(file).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var expected = SampleProperties.lines
        expected.replaceSubrange(
            SampleProperties.licenseLine...SampleProperties.licenseLine + 2,
            with: ["mosip.esignet.misp.license.key=NEWkey123"])
        #expect(lines == expected + [""])
        #expect(file.value(of: property) == "NEWkey123")
    }

    @Test(arguments: [
        ("mosip.esignet.misp.license.key = old", "mosip.esignet.misp.license.key = NEW"),
        ("mosip.esignet.misp.license.key: old", "mosip.esignet.misp.license.key: NEW"),
        ("mosip.esignet.misp.license.key   old", "mosip.esignet.misp.license.key   NEW"),
        ("   mosip.esignet.misp.license.key=old", "   mosip.esignet.misp.license.key=NEW"),
        ("mosip.esignet.misp.license.key=", "mosip.esignet.misp.license.key=NEW"),
        ("mosip.esignet.misp.license.key", "mosip.esignet.misp.license.key=NEW"),
        ("mosip.esignet.misp.license\\.key=old", "mosip.esignet.misp.license\\.key=NEW"),
        ("mosip.esignet.misp.license.key = \\\n   old", "mosip.esignet.misp.license.key = NEW"),
        ("mosip.esignet.\\\n  misp.license.key=old", "mosip.esignet.misp.license.key=NEW"),
    ])
    func keepsTheWrittenSeparatorStyle(before: String, after: String) {
        var file = PropertiesFile(bytes: Array("a=1\n\(before)\nb=2\n".utf8))
        let changed = file.set(property, to: "NEW")
        #expect(changed)
        #expect(text(file) == "a=1\n\(after)\nb=2\n")
        #expect(file.value(of: property) == "NEW")
    }

    @Test func currentValueChangesNothing() {
        let original = Array("# c\nmosip.esignet.misp.license.key = abc\\\n  def\nx=y\n".utf8)
        var file = PropertiesFile(bytes: original)
        let changed = file.set(property, to: "abcdef")
        #expect(!changed)
        #expect(file.bytes == original)
    }

    @Test func appendsWhenMissingKeepingEverythingElse() {
        var file = PropertiesFile(bytes: Array("# only comments\na=1\n".utf8))
        let changed = file.set(property, to: "K1")
        #expect(changed)
        #expect(text(file) == "# only comments\na=1\nmosip.esignet.misp.license.key=K1\n")
    }

    @Test func appendTerminatesAnUnterminatedLastLine() {
        var file = PropertiesFile(bytes: Array("a=1".utf8))
        file.set(property, to: "K1")
        #expect(text(file) == "a=1\nmosip.esignet.misp.license.key=K1\n")
    }

    @Test func appendEndsADanglingContinuationFirst() {
        var file = PropertiesFile(bytes: Array("a=1\\\n".utf8))
        file.set(property, to: "K1")
        #expect(text(file) == "a=1\\\n\nmosip.esignet.misp.license.key=K1\n")
        #expect(file.value(of: "a") == "1")
        #expect(file.value(of: property) == "K1")
    }

    @Test func aContinuationLineThatLooksLikeTheKeyIsNotTheKey() {
        var file = PropertiesFile(bytes: Array("a=1\\\nmosip.esignet.misp.license.key=inside-a\n".utf8))
        #expect(file.value(of: property) == nil)
        file.set(property, to: "K1")
        #expect(text(file) == "a=1\\\nmosip.esignet.misp.license.key=inside-a\nmosip.esignet.misp.license.key=K1\n")
    }

    @Test func commentsMentioningTheKeyAreLeftAlone() {
        var file = PropertiesFile(
            bytes: Array("#mosip.esignet.misp.license.key=x\n!mosip.esignet.misp.license.key=y\n".utf8))
        file.set(property, to: "K1")
        #expect(
            text(file)
                == "#mosip.esignet.misp.license.key=x\n!mosip.esignet.misp.license.key=y\nmosip.esignet.misp.license.key=K1\n"
        )
    }

    @Test func everyDuplicateIsUpdatedSoNoStaleOneWins() {
        var file = PropertiesFile(
            bytes: Array("mosip.esignet.misp.license.key=a\nx=1\nmosip.esignet.misp.license.key:b\n".utf8))
        file.set(property, to: "K1")
        #expect(text(file) == "mosip.esignet.misp.license.key=K1\nx=1\nmosip.esignet.misp.license.key:K1\n")
    }

    @Test func crlfFilesKeepTheirLineEndings() {
        var file = PropertiesFile(bytes: Array("a=1\r\nmosip.esignet.misp.license.key=old\r\nb=2\r\n".utf8))
        file.set(property, to: "K1")
        #expect(text(file) == "a=1\r\nmosip.esignet.misp.license.key=K1\r\nb=2\r\n")
        var appended = PropertiesFile(bytes: Array("a=1\r\n".utf8))
        appended.set(property, to: "K1")
        #expect(text(appended) == "a=1\r\nmosip.esignet.misp.license.key=K1\r\n")
    }

    @Test func nonUTF8BytesElsewhereSurviveUntouched() {
        let original: [UInt8] = Array("name=caf".utf8) + [0xE9] + Array("\nmosip.esignet.misp.license.key=old\n".utf8)
        var file = PropertiesFile(bytes: original)
        file.set(property, to: "K1")
        #expect(file.bytes == Array("name=caf".utf8) + [0xE9] + Array("\nmosip.esignet.misp.license.key=K1\n".utf8))
    }

    @Test func valuesAreEscapedSoTheyReadBack() {
        var file = PropertiesFile(bytes: [])
        file.set(property, to: " a\\b\tc")
        #expect(text(file) == "mosip.esignet.misp.license.key=\\ a\\\\b\\tc\n")
        #expect(PropertiesFile(bytes: file.bytes).value(of: property) == " a\\b\tc")
    }

    @Test func unicodeEscapesInKeysAreResolved() {
        let file = PropertiesFile(bytes: Array("mosip.esignet.misp.license\\u002ekey=x\n".utf8))
        #expect(file.value(of: property) == "x")
    }
}
