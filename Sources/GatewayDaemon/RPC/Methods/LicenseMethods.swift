import GatewayJSON
import GatewayServices
import JSONRPC

/// MISP licenses (SPEC 4.5).
enum LicenseGenerateMethod: SingleStringMethod {
    static let name = "license.generate"
    static let summary = "Issue the MISP partner's license key."
    static let field = "mispId"
    static let size = 1...36
    static let result = issuedMembers + ["warnings", "exported"]
    static func encode(_ issue: IssuedLicense) -> JSONValue { adding(issue, to: issued(issue.license)) }

    /// PMS's members, then `warnings` (SPEC 7.5) and `exported` (SPEC 7.6) when there are any.
    static func adding(_ issue: IssuedLicense, to members: JSONValue) -> JSONValue {
        guard case .object(var result) = members else { return members }
        if !issue.warnings.isEmpty { result["warnings"] = .array(issue.warnings.map(\.json)) }
        if let exported = issue.exported { result["exported"] = .bool(exported) }
        return .object(result)
    }

    static let issuedMembers = ["providerId", "licenseKey", "licenseKeyStatus", "licenseKeyExpiry"]

    /// PMS answers an issued key with `"Active"` in this case.
    static func issued(_ license: LicenseRecord) -> JSONValue {
        [
            "providerId": .string(license.mispId), "licenseKey": .string(license.licenseKey),
            "licenseKeyStatus": "Active", "licenseKeyExpiry": .string(license.expiresAt),
        ]
    }
}

enum LicenseUpdateMethod: RPCMethod {
    static let name = "license.update"
    static let summary = "Activate or de-activate a license key."
    static let params: [ParamDescriptor] = [.string("providerId"), .string("licenseKey"), .string("licenseKeyStatus")]
    static let result = LicenseGenerateMethod.issuedMembers + ["exported"]
    static func decode(_ params: JSONObject) throws -> LicenseStatusChange { try LicenseStatusChange(params: params) }
    /// PMS echoes the status lower-cased (`active` / `de-active`).
    static func encode(_ issue: IssuedLicense) -> JSONValue {
        let license = issue.license
        return LicenseGenerateMethod.adding(
            issue,
            to: [
                "providerId": .string(license.mispId), "licenseKey": .string(license.licenseKey),
                "licenseKeyStatus": .string(license.status.rawValue), "licenseKeyExpiry": .string(license.expiresAt),
            ])
    }
}

enum LicenseGetMethod: SingleStringMethod {
    static let name = "license.get"
    static let summary = "The current key; an expired active key is replaced."
    static let field = "mispId"
    static let size = 1...36
    static let result = LicenseGenerateMethod.issuedMembers + ["exported"]
    static func encode(_ issue: IssuedLicense) -> JSONValue { LicenseGenerateMethod.encode(issue) }
}

enum LicenseListMethod: RPCMethod {
    static let name = "license.list"
    static let summary = "Licenses oldest first, paged by cursor, with only the key's last 4 characters."
    static let params: [ParamDescriptor] = [.integer("limit", required: false), .string("cursor", required: false)]
    static let result = ["licenses", "nextCursor"]
    static func decode(_ params: JSONObject) throws -> PageRequest {
        try PageRequest(params: params, defaultLimit: 100, maxLimit: 500)
    }
    static func encode(_ page: (licenses: [LicenseRecord], nextCursor: String?)) -> JSONValue {
        let licenses: [JSONValue] = page.licenses.map { license in
            [
                "providerId": .string(license.mispId), "licenseKeyStatus": .string(license.status.rawValue),
                "licenseKeyExpiry": .string(license.expiresAt), "policyId": JSONValue(license.policyId),
                "keyHint": .string(license.keyHint),
            ]
        }
        return ["licenses": .array(licenses), "nextCursor": JSONValue(page.nextCursor)]
    }
}

enum LicenseValidateMethod: SingleStringMethod {
    static let name = "license.validate"
    static let summary = "IDA's license check (IDA-MPA-007/017/008); IDA's hot path."
    static let field = "licenseKey"
    static let size = 1...Int.max
    static let result = ["valid", "mispId", "status", "expiresAt", "errorCode", "policy", "warnings"]
    static func encode(_ verdict: LicenseVerdict) -> JSONValue {
        var result = JSONObject([("valid", .bool(verdict.isValid))])
        if let license = verdict.license {
            result["mispId"] = .string(license.mispId)
            result["status"] = .string(license.status.rawValue)
            result["expiresAt"] = .string(license.expiresAt)
        }
        if let errorCode = verdict.errorCode { result["errorCode"] = .string(errorCode) }
        if let policy = verdict.policy { result["policy"] = policy }
        if !verdict.warnings.isEmpty { result["warnings"] = .array(verdict.warnings.map(\.json)) }
        return .object(result)
    }
}

enum LicenseExportPropertiesMethod: RPCMethod {
    static let name = "license.exportProperties"
    static let summary = "Write the key into esignet-default.properties (mosip.esignet.misp.license.key), atomically."
    static let params: [ParamDescriptor] = [.string("mispId"), .string("path", required: false)]
    static let result = ["path", "property", "properties", "envFile", "changed"]
    static func decode(_ params: JSONObject) throws -> (mispId: String, path: String?) {
        let reader = ParamReader(params)
        return (try reader.string("mispId", size: 1...36), try reader.optionalString("path", size: 1...4096))
    }
    static func encode(_ export: PropertiesExport) -> JSONValue { export.json }
}

extension MethodTable<CallContext> {
    mutating func registerLicenseMethods(_ licenses: LicenseService) {
        register(
            MethodDescriptor(
                LicenseGenerateMethod.self,
                deferred: { mispId, context in
                    try await licenses.generate(mispId: mispId, context: context)
                }))
        register(
            MethodDescriptor(
                LicenseUpdateMethod.self,
                deferred: { change, context in
                    try await licenses.update(change, context: context)
                }))
        register(
            MethodDescriptor(
                LicenseGetMethod.self,
                deferred: { mispId, context in
                    try await licenses.get(mispId: mispId, context: context)
                }))
        register(MethodDescriptor(LicenseListMethod.self, immediate: { page, _ in try licenses.list(page) }))
        register(
            MethodDescriptor(
                LicenseValidateMethod.self,
                serializedImmediate: { key, _ in
                    try licenses.validate(key: key) { SerializedJSON(LicenseValidateMethod.encode($0)) }
                },
                withoutBlocking: { key, _ in try await licenses.validateWithoutBlocking(key: key) }))
        register(
            MethodDescriptor(
                LicenseExportPropertiesMethod.self,
                deferred: { request, context in
                    try await licenses.exportProperties(mispId: request.mispId, path: request.path, context: context)
                }))
    }
}
