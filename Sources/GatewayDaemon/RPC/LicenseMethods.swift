import GatewayDelivery
import GatewayJSON
import GatewayServices
import JSONRPC

/// MISP licenses (SPEC 4.5).
enum LicenseMethods {
    static let licenseResult = ["providerId", "licenseKey", "licenseKeyStatus", "licenseKeyExpiry"]

    static func register(in table: inout MethodTable<RPCContext>, _ services: GatewayServiceSet) {
        let delivery = services.delivery
        let licenses = services.licenses
        table.register(
            MethodDescriptor(
                "license.generate", summary: "Issue the MISP partner's license key.", params: [.string("mispId")],
                result: licenseResult
            ) { params, context in
                try await delivery.afterCommit(licenses.generate(params, context: context.call))
            }
        )
        table.register(
            MethodDescriptor(
                "license.update", summary: "Activate or de-activate a license key.",
                params: [.string("providerId"), .string("licenseKey"), .string("licenseKeyStatus")],
                result: licenseResult
            ) { params, context in
                try await delivery.afterCommit(licenses.update(params, context: context.call))
            }
        )
        table.register(
            MethodDescriptor(
                "license.get", summary: "The current key; an expired active key is replaced.",
                params: [.string("mispId")],
                result: licenseResult
            ) { params, context in
                try await delivery.afterCommit(licenses.get(params, context: context.call))
            }
        )
        table.register(
            MethodDescriptor(
                "license.list", summary: "Every license with only the key's last 4 characters.", result: ["licenses"],
                immediate: { params, _ in try licenses.list(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "license.validate", summary: "IDA's license check (IDA-MPA-007/017/008); IDA's hot path.",
                params: [.string("licenseKey")],
                result: ["valid", "mispId", "status", "expiresAt", "errorCode", "policy"],
                immediate: { params, _ in try licenses.validate(params) }
            )
        )
        table.register(
            MethodDescriptor(
                "license.exportProperties",
                summary: "Write the key into esignet-default.properties (mosip.esignet.misp.license.key), atomically.",
                params: [.string("mispId"), .string("path", required: false)], result: ["path", "property", "changed"]
            ) { params, context in
                try await delivery.afterCommit(licenses.exportProperties(params, context: context.call))
            }
        )
    }
}
