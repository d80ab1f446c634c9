import GatewayJSON
import GatewayStore
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `license.exportProperties`: hands the current key to eSignet through its properties file.
extension LicenseService {
    /// The property eSignet reads its MISP license key from.
    package static let licenseKeyProperty = "mosip.esignet.misp.license.key"

    /// The key is the one `license.get` would return (an expired key is replaced first, so eSignet
    /// never receives a dead one). The journal records the export (never the key) after the file
    /// is in place: it records what happened.
    ///
    /// A caller's `path` is confined to the export directory (SPEC 4.5) and checked before anything
    /// else happens, so a refused path changes nothing, not even an expired key.
    package func exportProperties(mispId: String, path: String?, context: CallContext) async throws
        -> PropertiesExport
    {
        let target = try exporter.target(path)
        let license = try await currentLicense(mispId, method: "license.exportProperties", context: context).license
        return try await export(license, to: target, context: context)
    }

    /// `esignet.autoExportLicense`: the new current key goes to eSignet in the same call. A failed
    /// export does not undo the committed key; the result says `exported: false` and the log why.
    func autoExport(_ license: LicenseRecord, context: CallContext) async -> Bool? {
        guard exporter.settings.autoExport, license.status == .active else { return nil }
        do {
            _ = try await export(license, to: exporter.target(nil), context: context)
            return true
        } catch {
            logger.error("license key not exported", metadata: ["mispId": "\(license.mispId)", "error": "\(error)"])
            return false
        }
    }

    /// Writes the key under every configured property name, and into the env file when the export
    /// goes to the configured properties file (SPEC 7.6), then journals what changed.
    func export(_ license: LicenseRecord, to target: PropertiesExporter.Target, context: CallContext) async throws
        -> PropertiesExport
    {
        let properties = exporter.settings.properties
        var changed = try await exporter.set(properties, to: license.licenseKey, in: target)
        var envFile: String?
        if target.isConfigured, let file = exporter.settings.envFile {
            changed = try await exporter.setEnv(to: license.licenseKey, in: file) || changed
            envFile = file
        }
        let export = PropertiesExport(path: target.path, properties: properties, envFile: envFile, changed: changed)
        try await store.write { tx throws in
            tx.journal(context.draft("license.exportProperties", "license", license.mispId, change: export.json))
        }
        logger.notice(
            "license key exported",
            metadata: ["mispId": "\(license.mispId)", "path": "\(target.path)", "changed": "\(changed)"])
        return export
    }
}

/// Where license keys are exported (SPEC 7.6): the property names eSignet's versions read, and the
/// env file MOSIP's Helm charts pass to eSignet.
package struct LicenseExportSettings: Sendable {
    /// `esignet.licenseProperties`: eSignet 1.0–1.4 read `mosip.esignet.misp.license.key`; 1.5 and
    /// later read `mosip.esignet.authenticator.ida.misp-license-key`.
    package var properties: [String]
    /// `esignet.licenseEnvFile`: gets `MOSIP_ESIGNET_MISP_KEY=<key>`.
    package var envFile: String?
    /// `esignet.autoExportLicense`: export every change of the current key in the same call.
    package var autoExport: Bool

    package static let envVariable = "MOSIP_ESIGNET_MISP_KEY"

    package init(
        properties: [String] = [LicenseService.licenseKeyProperty], envFile: String? = nil, autoExport: Bool = false
    ) {
        self.properties = properties
        self.envFile = envFile
        self.autoExport = autoExport
    }
}

/// What an export did: the file, the property names, the env file, and whether any file changed.
package struct PropertiesExport: Sendable, Equatable {
    package var path: String
    package var properties: [String]
    package var envFile: String?
    package var changed: Bool

    /// The result, and the journal's `change`: `property` is the first name, as before SPEC 7.6.
    package var json: JSONValue {
        var object = JSONObject([
            ("path", .string(path)), ("property", .string(properties.first ?? "")),
            ("properties", JSONValue(properties)),
        ])
        if let envFile { object["envFile"] = .string(envFile) }
        object["changed"] = .bool(changed)
        return .object(object)
    }
}

/// eSignet's properties files, edited read-modify-write.
///
/// An actor because two exports to one file must not interleave their edits: each one's read,
/// edit and atomic replace run without a suspension point in between.
package actor PropertiesExporter {
    /// A properties file larger than this is not eSignet's (mosip-config's own is about 40 KiB).
    static let maxBytes = 1 << 20

    let propertiesFile: String
    /// Where a caller's `path` may point.
    let exportDirectory: ConfinedDirectory
    let settings: LicenseExportSettings

    init(propertiesFile: String, exportDirectory: ConfinedDirectory, settings: LicenseExportSettings) {
        self.propertiesFile = propertiesFile
        self.exportDirectory = exportDirectory
        self.settings = settings
    }

    struct Target: Sendable {
        let path: String
        /// The operator's own file: its trouble is the host's (-32011), a caller's is the caller's.
        let isConfigured: Bool
    }

    /// The configured file (always allowed, written through a symbolic link as an operator set
    /// it up), or a caller's path inside the export directory.
    nonisolated func target(_ requested: String?) throws(GatewayError) -> Target {
        guard let requested, requested != propertiesFile else {
            return Target(path: propertiesFile, isConfigured: true)
        }
        return Target(path: try exportDirectory.resolve(requested), isConfigured: false)
    }

    /// Sets every one of `properties` in the target file (creating it, 0640: it holds a secret),
    /// leaving it untouched when all are already current.
    func set(_ properties: [String], to value: String, in target: Target) throws(GatewayError) -> Bool {
        let existing = try read(target)
        var file = PropertiesFile(bytes: existing ?? [])
        var changed = existing == nil
        for property in properties { changed = file.set(property, to: value) || changed }
        guard changed else { return false }
        try write(file.bytes, to: target, newFileMode: 0o640, keepsMode: true)
        return true
    }

    /// Sets `MOSIP_ESIGNET_MISP_KEY=<value>` in the env file, keeping every other line; the file
    /// is 0600 afterwards whatever it was (SPEC 7.6), and untouched when already current.
    func setEnv(to value: String, in path: String) throws(GatewayError) -> Bool {
        let target = Target(path: path, isConfigured: true)
        let existing = try read(target)
        var file = EnvironmentFile(bytes: existing ?? [])
        guard file.set(LicenseExportSettings.envVariable, to: value) || existing == nil else { return false }
        try write(file.bytes, to: target, newFileMode: 0o600, keepsMode: false)
        return true
    }

    private func read(_ target: Target) throws(GatewayError) -> [UInt8]? {
        do {
            return try FileContents.readRegularFile(
                target.path, maxBytes: Self.maxBytes, followLinks: target.isConfigured)
        } catch let error where error.errno == ENOENT {
            return nil
        } catch {
            throw target.isConfigured ? Self.unavailable(error.description) : exportDirectory.refusal
        }
    }

    private func write(_ bytes: [UInt8], to target: Target, newFileMode: mode_t, keepsMode: Bool)
        throws(GatewayError)
    {
        do {
            try AtomicFileWriter.write(
                bytes, to: target.path, newFileMode: newFileMode, keepsMode: keepsMode,
                followLinks: target.isConfigured)
        } catch {
            throw Self.unavailable(error.description)
        }
    }

    /// File trouble is the host's, not the caller's: report it like storage trouble (SPEC 3 -32011).
    private static func unavailable(_ reason: String) -> GatewayError {
        GatewayError(.unavailable, "GW_UNAVAILABLE", "cannot update properties file: \(reason)")
    }
}
