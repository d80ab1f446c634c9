import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Testing

@testable import GatewayServices

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC 7.6: the key reaches every eSignet version — every configured property name, the env file
/// MOSIP's Helm charts read, and, with auto-export, every change of the current key in its call.
@Suite struct LicenseExportSettingsTests {
    static let legacy = "mosip.esignet.misp.license.key"
    static let current = "mosip.esignet.authenticator.ida.misp-license-key"

    static func fixture(_ export: LicenseExportSettings) async throws -> LicenseFixture {
        let fixture = try LicenseFixture(export: export)
        try await fixture.addMISP("misp-1")
        return fixture
    }

    static func text(_ path: String) throws -> String { String(decoding: try FileContents.read(path), as: UTF8.self) }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    @Test func everyNameIsWrittenAndTheRestOfMosipConfigsFileIsKeptByteForByte() async throws {
        let fixture = try await Self.fixture(LicenseExportSettings(properties: [Self.legacy, Self.current]))
        let original = try Self.text(TestPaths.reference("esignet-default.properties"))
        try original.write(toFile: fixture.propertiesPath, atomically: false, encoding: .utf8)
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)

        let result = try await fixture.service.exportProperties(mispId: "misp-1", path: nil, context: fixture.context)
        #expect(result.properties == [Self.legacy, Self.current] && result.changed)
        #expect(result.json["property"] == .string(Self.legacy))
        let expected =
            original.replacingOccurrences(
                of: "\(Self.legacy)=${mosip.esignet.misp.key}\n", with: "\(Self.legacy)=\(key)\n")
            + "\(Self.current)=\(key)\n"
        #expect(try Self.text(fixture.propertiesPath) == expected)
        let again = try await fixture.service.exportProperties(mispId: "misp-1", path: nil, context: fixture.context)
        #expect(!again.changed, "an export of the key in place changes nothing")
    }

    @Test func theEnvFileGetsTheVariableKeepingItsOtherLines() async throws {
        let envDirectory = try TemporaryDirectory(prefix: "env")
        let envFile = envDirectory.file("esignet.env")
        let fixture = try await Self.fixture(LicenseExportSettings(envFile: envFile))
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)

        _ = try await fixture.service.exportProperties(mispId: "misp-1", path: nil, context: fixture.context)
        #expect(try Self.text(envFile) == "MOSIP_ESIGNET_MISP_KEY=\(key)\n")
        #expect(Self.mode(envFile) == 0o600 && Self.mode(fixture.propertiesPath) == 0o640)

        try "# eSignet\nOTHER=1\nexport MOSIP_ESIGNET_MISP_KEY=old\nLAST=2".write(
            toFile: envFile, atomically: false, encoding: .utf8)
        chmod(envFile, 0o644)
        let result = try await fixture.service.exportProperties(mispId: "misp-1", path: nil, context: fixture.context)
        #expect(result.envFile == envFile && result.changed)
        #expect(try Self.text(envFile) == "# eSignet\nOTHER=1\nMOSIP_ESIGNET_MISP_KEY=\(key)\nLAST=2\n")
        #expect(Self.mode(envFile) == 0o600, "the env file holds a secret, whatever its mode was")
        #expect(!fixture.logs.text.contains(key))
        withExtendedLifetime(envDirectory) {}
    }

    @Test func autoExportFollowsGenerateRotationAndActivation() async throws {
        let fixture = try await Self.fixture(LicenseExportSettings(autoExport: true))
        let generated = try await fixture.service.generate(mispId: "misp-1", context: fixture.context)
        #expect(generated.exported == true)
        #expect(try Self.text(fixture.propertiesPath) == "\(Self.legacy)=\(generated.license.licenseKey)\n")

        // The key expires; license.get replaces it and exports the new one in the same call.
        try await fixture.sql("UPDATE licenses SET expires_at_ms = 0")
        let rotated = try await fixture.service.get(mispId: "misp-1", context: fixture.context)
        #expect(rotated.exported == true && rotated.license.licenseKey != generated.license.licenseKey)
        #expect(try Self.text(fixture.propertiesPath) == "\(Self.legacy)=\(rotated.license.licenseKey)\n")
        let unchanged = try await fixture.service.get(mispId: "misp-1", context: fixture.context)
        #expect(unchanged.exported == nil, "no change of the key, no export")

        // De-activating leaves nothing to export; activating again exports.
        func setStatus(_ status: String) async throws -> IssuedLicense {
            try await fixture.service.update(
                LicenseStatusChange(
                    params: [
                        "providerId": "misp-1", "licenseKey": .string(rotated.license.licenseKey),
                        "licenseKeyStatus": .string(status),
                    ]), context: fixture.context)
        }
        #expect(try await setStatus("De-Active").exported == nil)
        try "\(Self.legacy)=stale\n".write(toFile: fixture.propertiesPath, atomically: false, encoding: .utf8)
        #expect(try await setStatus("Active").exported == true)
        #expect(try Self.text(fixture.propertiesPath) == "\(Self.legacy)=\(rotated.license.licenseKey)\n")

        let journal = try fixture.store.read { try $0.query("SELECT change FROM journal") }.map { try $0.string(0) }
        #expect(
            journal.allSatisfy {
                !$0.contains(generated.license.licenseKey) && !$0.contains(rotated.license.licenseKey)
            })
        #expect(!fixture.logs.text.contains(rotated.license.licenseKey))
    }
}
