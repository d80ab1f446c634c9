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
        let license = try await currentLicense(mispId, method: "license.exportProperties", context: context)
        let changed = try await exporter.set(Self.licenseKeyProperty, to: license.licenseKey, in: target)
        let export = PropertiesExport(path: target.path, property: Self.licenseKeyProperty, changed: changed)
        try await store.write { tx throws in
            try tx.journal(context.draft("license.exportProperties", "license", mispId, change: export.json))
        }
        logger.notice(
            "license key exported",
            metadata: ["mispId": "\(mispId)", "path": "\(target.path)", "changed": "\(changed)"])
        return export
    }
}

/// What an export did: the file, the property, and whether the file changed.
package struct PropertiesExport: Sendable, Equatable {
    package var path: String
    package var property: String
    package var changed: Bool

    /// The result, and the journal's `change`.
    package var json: JSONValue {
        ["path": .string(path), "property": .string(property), "changed": .bool(changed)]
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

    init(propertiesFile: String, exportDirectory: ConfinedDirectory) {
        self.propertiesFile = propertiesFile
        self.exportDirectory = exportDirectory
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

    /// Sets `property` in the target file (creating it), leaving it untouched when already current.
    func set(_ property: String, to value: String, in target: Target) throws(GatewayError) -> Bool {
        let existing: [UInt8]?
        do {
            existing = try FileContents.readRegularFile(
                target.path, maxBytes: Self.maxBytes, followLinks: target.isConfigured)
        } catch let error where error.errno == ENOENT {
            existing = nil
        } catch {
            throw target.isConfigured ? Self.unavailable(error.description) : exportDirectory.refusal
        }
        var file = PropertiesFile(bytes: existing ?? [])
        guard file.set(property, to: value) || existing == nil else { return false }
        do {
            try AtomicFileWriter.write(file.bytes, to: target.path, followLinks: target.isConfigured)
        } catch {
            throw Self.unavailable(error.description)
        }
        return true
    }

    /// File trouble is the host's, not the caller's: report it like storage trouble (SPEC 3 -32011).
    private static func unavailable(_ reason: String) -> GatewayError {
        GatewayError(.unavailable, "GW_UNAVAILABLE", "cannot update properties file: \(reason)")
    }
}
