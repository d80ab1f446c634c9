import Configuration
import GatewayDelivery
import GatewayJSON
import GatewayServices
import GatewayStore
import NIOCore
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Everything `config/pms-gateway.json` (SPEC 1.1) says, resolved and checked.
///
/// The file is read by our own JSON reader and handed to swift-configuration as an in-memory
/// provider, with the environment in front of it, so `SERVER_SOCKETPATH=... pms-gatewayd` wins
/// over the file. (swift-configuration's own JSON provider would link full Foundation.)
package struct GatewayConfiguration: Sendable {
    package struct Server: Sendable {
        package var socketPath: String
        package var socketMode: UInt32
        package var maxRequestBytes: Int
        package var maxBatch: Int
        package var maxResponseBytes: Int
        package var maxConnections: Int
        package var idleTimeoutSeconds: Int
        package var shutdownGraceSeconds: Int
        /// Event-loop threads that serve connections and answer the reads, as configured; 0 picks
        /// ``eventLoops``. Read at start-up only: NIO's loops cannot be resized while they run.
        package var eventLoopThreads: Int
        /// `server.nodeName` (SPEC 9): this daemon's name among those sharing a database, in
        /// `system.health` and on the outbox rows it claims; the short host name by default.
        package var nodeName: String

        /// The loops to run. By default half the cores, at least 2: the socket's callers (PMS,
        /// eSignet, IDA) run on this host and need cores of their own. Measured on 16 cores with
        /// the load generator on 8 of them: 16 loops answered more at 64 connections but preempted
        /// the callers (p99 4.5 ms at 256 connections, 1.2 context switches per request); 8 loops
        /// kept p99 under 1.2 ms and switched context almost never.
        package var eventLoops: Int {
            eventLoopThreads > 0 ? eventLoopThreads : max(2, System.coreCount / 2)
        }
    }

    package var configFile: String
    package var server: Server
    package var databasePath: String
    /// `database.url` (SPEC 9): a PostgreSQL database instead of the SQLite file at ``databasePath``.
    package var databaseURL: PostgresLocation?
    /// `database.passwordFile`: the PostgreSQL password, never in the URL or the environment.
    package var databasePasswordFile: String?
    /// `database.writerMapMiB`: how much of the SQLite file the writer reads memory-mapped.
    package var databaseWriterMapMiB: Int
    /// `outbox.leaseSeconds` (SPEC 9): how long a claimed outbox row stays with its daemon before
    /// another may take it over.
    package var outboxLeaseSeconds: Int
    /// Where `system.backup` writes (SPEC 4.1); default `backups/` beside the database.
    package var backupDirectory: String
    package var mappingFiles: MappingFiles
    package var clients: ClientRules
    package var license: LicenseRules
    package var esignetPropertiesFile: String
    /// `esignet.licenseProperties`, `.licenseEnvFile`, `.autoExportLicense` (SPEC 7.6).
    package var licenseExport: LicenseExportSettings
    /// `license.expiryWarningDays` (SPEC 7.6).
    package var licenseExpiryWarningDays: Int
    /// Where `license.exportProperties` may write besides the properties file (SPEC 4.5).
    package var esignetExportDirectory: String
    /// `metrics.textfile`: where the exposition text is written for node_exporter (SPEC 10).
    package var metricsTextfile: String?
    package var metricsIntervalSeconds: Int
    package var esignetBaseURL: String?
    package var esignetBearerTokenFile: String?
    package var idaWebsubHubURL: String?
    /// `esignet.clientAPI` (SPEC 7.2): which eSignet client-management API delivery calls.
    package var esignetClientAPI: ESignetClientAPI
    /// `auth.*` (SPEC 7.1): where eSignet's and the hub's tokens come from; nil without `auth.kind`.
    package var auth: AuthConfiguration?
    package var accessRules: [AccessRule]
    package var logLevel: String
}

extension GatewayConfiguration {
    /// Reads and checks `path`. Any problem is a ``ConfigurationError`` naming the key.
    package static func load(path: String, environment: [String: String]) throws(ConfigurationError)
        -> GatewayConfiguration
    {
        let root = try document(at: path)
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: environment),
            InMemoryProvider(name: path, values: try ConfigFlattening.values(of: root, file: path)),
        ])
        return try GatewayConfiguration(
            keys: TypedConfigReader(reader: reader, file: path), root: root, base: FilePath(FilePath(path).directory),
            environment: environment)
    }

    private static func document(at path: String) throws(ConfigurationError) -> JSONObject {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            throw ConfigurationError("config \(path): cannot read: \(error)")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw ConfigurationError("config \(path): not valid JSON: \(error)")
        }
        guard case .object(let root) = document else {
            throw ConfigurationError("config \(path): the top level must be a JSON object")
        }
        return root
    }

    private init(keys: TypedConfigReader, root: JSONObject, base: FilePath, environment: [String: String])
        throws(ConfigurationError)
    {
        configFile = keys.file
        server = Server(
            socketPath: base.resolving(try keys.string("server.socketPath")),
            socketMode: try keys.fileMode("server.socketMode"),
            maxRequestBytes: try keys.int("server.maxRequestBytes", in: 1024...(64 << 20)),
            maxBatch: try keys.int("server.maxBatch", in: 1...10_000),
            maxResponseBytes: try keys.int("server.maxResponseBytes", in: 4096...(1 << 30)),
            maxConnections: try keys.int("server.maxConnections", in: 1...65_536),
            idleTimeoutSeconds: try keys.int("server.idleTimeoutSeconds", in: 1...86_400),
            shutdownGraceSeconds: try keys.int("server.shutdownGraceSeconds", in: 1...3_600),
            eventLoopThreads: try keys.int("server.eventLoopThreads", in: 0...1_024),
            nodeName: try keys.optionalString("server.nodeName") ?? Self.shortHostName()
        )
        databasePath = base.resolving(try keys.string("database.path"))
        databaseURL = nil
        if let url = try keys.optionalString("database.url") {
            do throws(StoreError) {
                databaseURL = try PostgresLocation(url: url)
            } catch {
                throw ConfigurationError("config \(keys.file): \(error.message)")
            }
        }
        let credentials = environment["CREDENTIALS_DIRECTORY"].map { FilePath($0) } ?? base
        databasePasswordFile = try keys.optionalString("database.passwordFile").map { credentials.resolving($0) }
        databaseWriterMapMiB = try keys.int("database.writerMapMiB", in: 0...65_536)
        outboxLeaseSeconds = try keys.int("outbox.leaseSeconds", in: 1...86_400)
        backupDirectory = base.resolving(
            try keys.optionalString("database.backupDirectory") ?? "\(FilePath(databasePath).directory)/backups")
        mappingFiles = MappingFiles(
            identity: base.resolving(try keys.string("mappings.identity")),
            amrAcr: base.resolving(try keys.string("mappings.amrAcr")),
            openidConfiguration: base.resolving(try keys.string("mappings.openidConfiguration"))
        )
        let clientAPIName = try keys.string("esignet.clientAPI")
        guard let clientAPI = ESignetClientAPI(rawValue: clientAPIName) else {
            throw ConfigurationError(
                "config \(keys.file): esignet.clientAPI must be one of "
                    + ESignetClientAPI.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        esignetClientAPI = clientAPI
        let prerequisites = try keys.string("clients.prerequisites")
        guard ["warn", "refuse"].contains(prerequisites) else {
            throw ConfigurationError("config \(keys.file): clients.prerequisites must be \"warn\" or \"refuse\"")
        }
        clients = ClientRules(
            minRsaBits: try keys.int("clients.minRsaBits", in: 512...16_384),
            grantTypes: try keys.strings("clients.grantTypes"),
            clientAuthMethods: try keys.strings("clients.clientAuthMethods"), clientAPI: clientAPI.rawValue,
            waitForESignetSeconds: try keys.int("clients.waitForESignetSeconds", in: ESignetWait.range),
            requiredAuthTypes: try keys.strings("clients.requiredAuthTypes"),
            refusesMissingAuthTypes: prerequisites == "refuse"
        )
        license = LicenseRules(
            length: try keys.int("license.length", in: 8...1024),
            validityDays: try keys.int("license.validityDays", in: LicenseRules.validityRange),
            requiredPolicyFlags: try keys.strings("license.requiredPolicyFlags")
        )
        esignetPropertiesFile = base.resolving(try keys.string("esignet.propertiesFile"))
        licenseExport = LicenseExportSettings(
            properties: try keys.strings("esignet.licenseProperties"),
            envFile: try keys.optionalString("esignet.licenseEnvFile").map { base.resolving($0) },
            autoExport: try keys.bool("esignet.autoExportLicense"))
        licenseExpiryWarningDays = try keys.int("license.expiryWarningDays", in: 0...36_500)
        esignetExportDirectory = base.resolving(
            try keys.optionalString("esignet.exportDirectory") ?? FilePath(esignetPropertiesFile).directory)
        metricsTextfile = try keys.optionalString("metrics.textfile").map { base.resolving($0) }
        metricsIntervalSeconds = try keys.int("metrics.intervalSeconds", in: 1...86_400)
        esignetBaseURL = try keys.optionalString("esignet.baseURL")
        let tokenFile = try keys.optionalString("esignet.bearerTokenFile")
        esignetBearerTokenFile = tokenFile.map { base.resolving($0) }
        idaWebsubHubURL = try keys.optionalString("ida.websubHubURL")
        auth = try Self.auth(keys, base: base, environment: environment)
        accessRules = try AccessRule.parse(root["access"]?["rules"], file: keys.file)
        logLevel = try keys.logLevel("log.level")
    }
}

extension GatewayConfiguration {
    /// `gethostname` up to its first dot, as `hostname -s` prints it.
    static func shortHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(name.prefix { $0 != "." })
    }

    /// The PostgreSQL password, from `database.passwordFile` (one line; a trailing newline is not
    /// part of it). Nil without the key: the server may trust the socket's peer instead.
    func databasePassword() throws(ConfigurationError) -> String? {
        guard let file = databasePasswordFile else { return nil }
        do {
            var text = String(decoding: try FileContents.read(file), as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        } catch {
            throw ConfigurationError("database.passwordFile \(file): cannot read: \(error)")
        }
    }

    /// The database in words for logs and errors: the URL (never a password) or the file's path.
    var databaseDescription: String {
        databaseURL.map(\.description) ?? databasePath
    }

    /// The files no caller-named path may touch (SPEC 4.1, 4.5).
    var daemonFiles: [String] {
        ConfinedDirectory.daemonFiles(database: databasePath, socket: server.socketPath, config: configFile)
    }
}

/// A configuration problem. The daemon prints it as one line on stderr and exits 78 (EX_CONFIG).
package struct ConfigurationError: Error, CustomStringConvertible {
    package let message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

extension GatewayConfiguration {
    /// `auth.kind` null means no credentials (or `esignet.bearerTokenFile`); otherwise every key
    /// the kind needs must be there. The secret itself is never in the config or the environment:
    /// `auth.secretFile` names a file, relative to `$CREDENTIALS_DIRECTORY` when systemd's
    /// `LoadCredential=` set it, else to the config file's directory.
    fileprivate static func auth(_ keys: TypedConfigReader, base: FilePath, environment: [String: String])
        throws(ConfigurationError) -> AuthConfiguration?
    {
        guard let kindName = try keys.optionalString("auth.kind") else { return nil }
        guard let kind = AuthConfiguration.Kind(rawValue: kindName) else {
            throw ConfigurationError(
                "config \(keys.file): auth.kind must be null, \"authmanager\" or \"client-credentials\"")
        }
        func required(_ key: String) throws(ConfigurationError) -> String {
            guard let value = try keys.optionalString(key) else {
                throw ConfigurationError("config \(keys.file): \(key) is required when auth.kind is \(kindName)")
            }
            return value
        }
        let tokenURL = try required("auth.tokenURL")
        let clientId = try required("auth.clientId")
        let secretFile = try required("auth.secretFile")
        let appId = kind == .authManager ? try required("auth.appId") : try keys.optionalString("auth.appId")
        let credentials = environment["CREDENTIALS_DIRECTORY"].map { FilePath($0) } ?? base
        return AuthConfiguration(
            kind: kind, tokenURL: tokenURL, clientId: clientId, secretFile: credentials.resolving(secretFile),
            appId: appId,
            refreshBeforeExpiry: .seconds(try keys.int("auth.refreshBeforeExpirySeconds", in: 0...86_400)))
    }
}
