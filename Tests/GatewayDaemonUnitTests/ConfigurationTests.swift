import GatewayServices
import GatewayTestSupport
import NIOCore
import Testing

@testable import GatewayDaemon

/// SPEC 1.1: `GatewayConfiguration.load` on real files: defaults, environment overrides, relative
/// paths, and one ConfigurationError naming the key for each bad value.
@Suite struct ConfigurationTests {
    let directory: TemporaryDirectory
    var file: String { directory.file("pms-gateway.json") }

    init() throws {
        directory = try TemporaryDirectory(prefix: "gateway-config-test")
    }

    func load(_ text: String, environment: [String: String] = [:]) throws -> GatewayConfiguration {
        try directory.write("pms-gateway.json", text)
        return try GatewayConfiguration.load(path: file, environment: environment)
    }

    /// The message of the ConfigurationError that loading `text` throws.
    func refusal(_ text: String, environment: [String: String] = [:]) -> String? {
        #expect(throws: ConfigurationError.self) { try load(text, environment: environment) }?.message
    }

    @Test func anEmptyFileGetsEveryDefault() throws {
        let config = try load("{}")
        let base = directory.path
        #expect(config.configFile == file)
        #expect(config.server.socketPath == "\(base)/../var/run/pms-gateway.sock")
        #expect(config.server.socketMode == 0o660)
        #expect(config.server.maxRequestBytes == 1_048_576)
        #expect(config.server.maxBatch == 100)
        #expect(config.server.maxResponseBytes == 16_777_216)
        #expect(config.server.maxConnections == 1024)
        #expect(config.server.idleTimeoutSeconds == 300)
        #expect(config.server.shutdownGraceSeconds == 10)
        #expect(config.server.eventLoopThreads == 0)
        #expect(config.server.eventLoops == max(2, System.coreCount / 2))
        #expect(config.databasePath == "\(base)/../var/lib/pms-gateway.sqlite3")
        #expect(config.backupDirectory == "\(base)/../var/lib/backups", "backups/ beside the database")
        #expect(config.databaseWriterMapMiB == 256)
        #expect(config.mappingFiles.identity == "\(base)/identity-mapping.json")
        #expect(config.mappingFiles.amrAcr == "\(base)/amr-acr-mapping.json")
        #expect(config.mappingFiles.openidConfiguration == "\(base)/openid-configuration.json")
        #expect(config.clients.minRsaBits == 2048)
        #expect(config.clients.grantTypes == ["authorization_code"])
        #expect(config.clients.clientAuthMethods == ["private_key_jwt"])
        #expect(config.license.length == 50 && config.license.validityDays == 90)
        #expect(config.esignetPropertiesFile == "\(base)/../var/esignet-default.properties")
        #expect(config.esignetExportDirectory == "\(base)/../var", "the properties file's directory")
        #expect(config.esignetBaseURL == nil && config.esignetBearerTokenFile == nil && config.idaWebsubHubURL == nil)
        #expect(config.accessRules.isEmpty)
        #expect(config.logLevel == "info")
    }

    @Test func theShippedConfigLoadsWithItsOwnMappingFiles() throws {
        let shipped = "\(TestPaths.configDirectory)/pms-gateway.json"
        let config = try GatewayConfiguration.load(path: shipped, environment: [:])
        #expect(config.mappingFiles.identity == "\(TestPaths.configDirectory)/identity-mapping.json")
        #expect(config.server.maxBatch == 100)
        let mappings = try MappingSet.load(config.mappingFiles)
        #expect(!mappings.claimsSupported.isEmpty, "the mapping files it names load")
    }

    @Test func relativePathsResolveAgainstTheConfigFilesDirectory() throws {
        let config = try load(
            """
            {"server": {"socketPath": "run/gw.sock"}, "database": {"path": "db/gw.sqlite3", "backupDirectory": "safe"},
             "mappings": {"identity": "/etc/pms/identity.json"},
             "esignet": {"propertiesFile": "esignet/esignet-default.properties", "bearerTokenFile": "token",
                         "exportDirectory": "exports"}}
            """)
        let base = directory.path
        #expect(config.server.socketPath == "\(base)/run/gw.sock")
        #expect(config.databasePath == "\(base)/db/gw.sqlite3")
        #expect(config.backupDirectory == "\(base)/safe")
        #expect(config.mappingFiles.identity == "/etc/pms/identity.json", "absolute paths are kept")
        #expect(config.esignetPropertiesFile == "\(base)/esignet/esignet-default.properties")
        #expect(config.esignetBearerTokenFile == "\(base)/token")
        #expect(config.esignetExportDirectory == "\(base)/exports")
    }

    @Test func defaultBackupAndExportDirectoriesFollowTheirFiles() throws {
        let config = try load(
            #"{"database": {"path": "/srv/db/gw.sqlite3"}, "esignet": {"propertiesFile": "/srv/esignet/e.properties"}}"#
        )
        #expect(config.backupDirectory == "/srv/db/backups")
        #expect(config.esignetExportDirectory == "/srv/esignet")
    }

    @Test func theEnvironmentOverridesTheFile() throws {
        let config = try load(
            #"{"server": {"maxBatch": 10, "socketPath": "file.sock"}, "log": {"level": "error"}}"#,
            environment: [
                "SERVER_MAXBATCH": "50", "SERVER_SOCKETPATH": "env.sock", "LOG_LEVEL": "debug",
                "CLIENTS_GRANTTYPES": "authorization_code,refresh_token", "ESIGNET_BASEURL": "https://esignet.example",
            ])
        #expect(config.server.maxBatch == 50)
        #expect(config.server.socketPath == "\(directory.path)/env.sock")
        #expect(config.logLevel == "debug")
        #expect(config.clients.grantTypes == ["authorization_code", "refresh_token"])
        #expect(config.esignetBaseURL == "https://esignet.example")
        #expect(config.server.maxConnections == 1024, "what neither sets keeps its default")
    }

    @Test(arguments: [
        (#"{"server": {"maxBatch": 0}}"#, "server.maxBatch must be between 1 and 10000"),
        (#"{"server": {"maxBatch": "ten"}}"#, "server.maxBatch must be an integer"),
        (#"{"server": {"maxBatch": 1.5}}"#, "server.maxBatch must be an integer"),
        (#"{"server": {"maxRequestBytes": 10}}"#, "server.maxRequestBytes must be between"),
        (#"{"server": {"socketMode": "rw"}}"#, "server.socketMode must be an octal file mode"),
        (#"{"server": {"socketMode": "0999"}}"#, "server.socketMode must be an octal file mode"),
        (#"{"server": {"socketPath": ""}}"#, "server.socketPath must be a non-empty string"),
        (#"{"database": {"backupDirectory": ""}}"#, "database.backupDirectory must be null or a non-empty string"),
        (#"{"database": {"writerMapMiB": -1}}"#, "database.writerMapMiB must be between 0 and 65536"),
        (#"{"clients": {"grantTypes": []}}"#, "clients.grantTypes must be a non-empty list of strings"),
        (#"{"license": {"validityDays": 0}}"#, "license.validityDays must be between 1 and 999999"),
        (#"{"log": {"level": "loud"}}"#, "log.level must be one of"),
        (#"{"server": 5}"#, "server must be an object"),
        (#"{"access": {"rules": [{"allow": ["a"]}]}}"#, "access.rules[0] needs one of"),
        ("[1, 2]", "the top level must be a JSON object"),
        ("{bad json", "not valid JSON"),
    ])
    func aBadValueIsAConfigurationErrorNamingTheKey(text: String, message: String) throws {
        let refused = try #require(refusal(text))
        #expect(refused.hasPrefix("config \(file): "), "\(refused)")
        #expect(refused.contains(message), "\(refused)")
    }

    @Test func aBadValueFromTheEnvironmentNamesTheKey() throws {
        let refused = try #require(refusal("{}", environment: ["SERVER_MAXBATCH": "many"]))
        #expect(refused.contains("server.maxBatch"), "\(refused)")
    }

    @Test func aMissingFileIsAConfigurationError() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try GatewayConfiguration.load(path: directory.file("absent.json"), environment: [:])
        }
        #expect(error?.message.contains("absent.json: cannot read") == true)
    }
}
