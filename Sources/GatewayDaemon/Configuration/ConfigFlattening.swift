import Configuration
import GatewayJSON

/// Turns the config file into swift-configuration's flat key space, on top of SPEC 1.1's defaults.
///
/// Key components are lower-cased so the environment spelling is the spec's `SERVER_SOCKETPATH`
/// (swift-configuration would otherwise split camel case into `SERVER_SOCKET_PATH`).
enum ConfigFlattening {
    /// SPEC 1.1's values for keys a file leaves out.
    static let defaults: [String: ConfigContent] = [
        "server.socketPath": .string("../var/run/pms-gateway.sock"),
        "server.socketMode": .string("0660"),
        "server.maxRequestBytes": .int(1_048_576),
        "server.maxBatch": .int(100),
        "server.maxResponseBytes": .int(16 << 20),
        "server.maxConnections": .int(1024),
        "server.idleTimeoutSeconds": .int(300),
        "server.shutdownGraceSeconds": .int(10),
        "server.eventLoopThreads": .int(0),
        "database.path": .string("../var/lib/pms-gateway.sqlite3"),
        "database.writerMapMiB": .int(256),
        "mappings.identity": .string("identity-mapping.json"),
        "mappings.amrAcr": .string("amr-acr-mapping.json"),
        "mappings.openidConfiguration": .string("openid-configuration.json"),
        "clients.minRsaBits": .int(2048),
        "clients.grantTypes": .stringArray(["authorization_code"]),
        "clients.clientAuthMethods": .stringArray(["private_key_jwt"]),
        "clients.waitForESignetSeconds": .int(0),
        "clients.requiredAuthTypes": .stringArray(["kycauth", "kycexchange", "otp-request"]),
        "clients.prerequisites": .string("warn"),
        "license.length": .int(50),
        "license.validityDays": .int(90),
        "license.expiryWarningDays": .int(14),
        "metrics.intervalSeconds": .int(15),
        "outbox.leaseSeconds": .int(30),
        "license.requiredPolicyFlags": .stringArray([
            "allowAuthRequestDelegation", "allowKycRequestDelegation", "trustBindedAuthVerificationToken",
            "allowKeyBindingDelegation",
        ]),
        "auth.refreshBeforeExpirySeconds": .int(60),
        "esignet.clientAPI": .string("oidc-client"),
        "esignet.propertiesFile": .string("../var/esignet-default.properties"),
        "esignet.licenseProperties": .stringArray(["mosip.esignet.misp.license.key"]),
        "esignet.autoExportLicense": .bool(true),
        "log.level": .string("info"),
    ]

    static func key(_ dotted: String) -> AbsoluteConfigKey {
        AbsoluteConfigKey(dotted.lowercased().split(separator: ".").map(String.init))
    }

    static func values(of root: JSONObject, file: String) throws(ConfigurationError) -> [AbsoluteConfigKey: ConfigValue]
    {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (dotted, content) in defaults {
            values[key(dotted)] = ConfigValue(content, isSecret: false)
        }
        for (section, body) in root {
            guard case .object(let members) = body else {
                throw ConfigurationError("config \(file): \(section) must be an object")
            }
            for (name, value) in members {
                let dotted = "\(section).\(name)"
                guard let content = try content(of: value, key: dotted, file: file) else {
                    values[key(dotted)] = nil
                    continue
                }
                values[key(dotted)] = ConfigValue(content, isSecret: false)
            }
        }
        return values
    }

    /// Scalars and string lists become config values; `null` removes a key; structured values
    /// (`access.rules`) are read from the JSON directly and skipped here.
    private static func content(of value: JSONValue, key: String, file: String) throws(ConfigurationError)
        -> ConfigContent?
    {
        switch value {
        case .null: return nil
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let number):
            guard let int = number.int else { throw ConfigurationError("config \(file): \(key) must be an integer") }
            return .int(int)
        case .array(let elements):
            let strings = elements.compactMap(\.stringValue)
            if strings.count == elements.count { return .stringArray(strings) }
            return nil
        case .object: return nil
        }
    }
}
