import GatewayJSON
import GatewayStore
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `license.exportProperties`: hands the current key to eSignet through its properties file.
extension LicenseService {
    /// The property eSignet reads its MISP license key from.
    public static let licenseKeyProperty = "mosip.esignet.misp.license.key"

    /// A properties file larger than this is not eSignet's (mosip-config's own is about 40 KiB).
    static let maxPropertiesBytes = 1 << 20

    /// `{mispId, path?}` → `{path, property, changed}`.
    ///
    /// The key is the one `license.get` would return (an expired key is replaced first, so eSignet
    /// never receives a dead one). The file is read, edited and replaced without a suspension point,
    /// so two exports through this actor cannot interleave their edits. The journal records the
    /// export (never the key) after the file is in place: it records what happened.
    ///
    /// A caller's `path` is confined to `exportDirectory` (SPEC 4.5) and checked before anything
    /// else happens, so a refused path changes nothing, not even an expired key.
    public func exportProperties(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let reader = ParamReader(params)
        let mispId = try reader.string("mispId", size: 1...36)
        let target = try exportTarget(try reader.optionalString("path", size: 1...4096))
        let license = try await currentLicense(mispId, method: "license.exportProperties", context: context)
        let changed = try setProperty(Self.licenseKeyProperty, to: license.licenseKey, in: target)
        let result: JSONValue = [
            "path": .string(target.path), "property": .string(Self.licenseKeyProperty), "changed": .bool(changed),
        ]
        try await store.write { tx throws in
            try tx.journal(context.draft("license.exportProperties", "license", mispId, change: result))
        }
        logger.notice(
            "license key exported",
            metadata: ["mispId": "\(mispId)", "path": "\(target.path)", "changed": "\(changed)"])
        return result
    }

    /// The configured file (always allowed, written through a symbolic link as an operator set
    /// it up), or a caller's path inside the export directory.
    private func exportTarget(_ requested: String?) throws(GatewayError) -> PropertiesTarget {
        guard let requested, requested != propertiesFile else {
            return PropertiesTarget(path: propertiesFile, isConfigured: true)
        }
        return PropertiesTarget(path: try exportDirectory.resolve(requested), isConfigured: false)
    }

    struct PropertiesTarget {
        let path: String
        /// The operator's own file: its trouble is the host's (-32011), a caller's is the caller's.
        let isConfigured: Bool
    }

    /// Sets `property` in the target file (creating it), leaving it untouched when already current.
    func setProperty(_ property: String, to value: String, in target: PropertiesTarget) throws(GatewayError)
        -> Bool
    {
        let existing: [UInt8]?
        do {
            existing = try FileContents.readRegularFile(
                target.path, maxBytes: Self.maxPropertiesBytes, followLinks: target.isConfigured)
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
