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

    /// `{mispId, path?}` → `{path, property, changed}`.
    ///
    /// The key is the one `license.get` would return (an expired key is replaced first, so eSignet
    /// never receives a dead one). The file is read, edited and replaced without a suspension point,
    /// so two exports through this actor cannot interleave their edits. The journal records the
    /// export (never the key) after the file is in place: it records what happened.
    public func exportProperties(_ params: JSONObject, context: CallContext) async throws -> JSONValue {
        let reader = ParamReader(params)
        let mispId = try reader.string("mispId", size: 1...36)
        let explicit = try reader.optionalString("path", size: 1...4096)
        // A caller's path is taken as given, so it must not depend on the daemon's working directory.
        if let explicit, !explicit.hasPrefix("/") {
            throw GatewayError.invalidParameter("path", "must be an absolute path")
        }
        let path = explicit ?? propertiesFile
        let license = try await currentLicense(mispId, method: "license.exportProperties", context: context)
        let changed = try Self.setProperty(Self.licenseKeyProperty, to: license.licenseKey, in: path)
        let result: JSONValue = [
            "path": .string(path), "property": .string(Self.licenseKeyProperty), "changed": .bool(changed),
        ]
        try await store.write { tx throws in
            try tx.journal(context.draft("license.exportProperties", "license", mispId, change: result))
        }
        logger.notice(
            "license key exported", metadata: ["mispId": "\(mispId)", "path": "\(path)", "changed": "\(changed)"])
        return result
    }

    /// Sets `property` in the file at `path` (creating it), leaving it untouched when already current.
    static func setProperty(_ property: String, to value: String, in path: String) throws(GatewayError) -> Bool {
        let existing: [UInt8]?
        do {
            existing = try FileContents.read(path)
        } catch let error where error.errno == ENOENT {
            existing = nil
        } catch {
            throw unavailable(path, error.description)
        }
        var file = PropertiesFile(bytes: existing ?? [])
        guard file.set(property, to: value) || existing == nil else { return false }
        do {
            try AtomicFileWriter.write(file.bytes, to: path)
        } catch {
            throw unavailable(path, error.description)
        }
        return true
    }

    /// File trouble is the host's, not the caller's: report it like storage trouble (SPEC 3 -32011).
    private static func unavailable(_ path: String, _ reason: String) -> GatewayError {
        GatewayError(.unavailable, "GW_UNAVAILABLE", "cannot update properties file: \(reason)")
    }
}
