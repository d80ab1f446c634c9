import ArgumentParser
import GatewayJSON

/// `client.*` and `key.clientId`: OIDC clients.
struct ClientGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "OIDC clients.",
        subcommands: [
            ClientCreate.self, ClientUpdate.self, ClientGet.self, ClientList.self, ClientDeactivate.self,
        ])
}

/// The members `client.create` and `client.update` share.
struct ClientFields: ParsableArguments {
    @Option(help: "An absolute http(s) URL of the client's logo.") var logoUri: String?
    @Option(name: .customLong("redirect-uri"), help: "A redirect URI; repeat for each (1-5).")
    var redirectUris: [String] = []
    @Option(name: .customLong("grant-type"), help: "A grant type; repeat for each (1-3).")
    var grantTypes: [String] = []
    @Option(name: .customLong("client-auth-method"), help: "A client auth method; repeat for each (1-3).")
    var clientAuthMethods: [String] = []
    @Option(
        help: ArgumentHelp("Names by ISO 639-2/3 language code: JSON or @FILE.", valueName: "json|@file"),
        completion: .file())
    var clientNameLangMap: String?
    @Option(
        help: ArgumentHelp("eSignet's additionalConfig: JSON or @FILE.", valueName: "json|@file"),
        completion: .file())
    var additionalConfig: String?
    @Option(help: "Seconds (0-30) to wait for eSignet's answer before replying.") var waitSeconds: Int?

    func add(to params: inout ParamsBuilder) throws(CLIError) {
        params.set("logoUri", logoUri)
        params.set("redirectUris", redirectUris)
        params.set("grantTypes", grantTypes)
        params.set("clientAuthMethods", clientAuthMethods)
        try params.setObject("clientNameLangMap", clientNameLangMap, flag: "--client-name-lang-map")
        try params.setObject("additionalConfig", additionalConfig, flag: "--additional-config")
        params.set("waitSeconds", waitSeconds)
    }
}

struct ClientCreate: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Register an OIDC client for an auth partner (client.create).")
    static let method = "client.create"
    @Option(help: "The client's name (1-256 characters).") var name: String?
    @Option(help: "The auth policy mapped to the partner.") var policyId: String?
    @OptionGroup var key: PublicKeyOptions
    @Option(help: "The auth partner that owns the client.") var authPartnerId: String?
    @OptionGroup var fields: ClientFields
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) throws(CLIError) {
        params.set("name", name)
        params.set("policyId", policyId)
        try key.add(to: &params)
        params.set("authPartnerId", authPartnerId)
        try fields.add(to: &params)
    }
}

struct ClientUpdate: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Replace a client's name, logo, URIs and methods, or its status (client.update).")
    static let method = "client.update"
    @Option(help: "The client's id.") var clientId: String?
    @Option(help: "The client's name.") var clientName: String?
    @Option(help: "ACTIVE or INACTIVE (deactivation is final).") var status: String?
    @OptionGroup var fields: ClientFields
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) throws(CLIError) {
        params.set("clientId", clientId)
        params.set("clientName", clientName)
        params.set("status", status)
        try fields.add(to: &params)
    }
}

struct ClientGet: MethodCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "One client (client.get).")
    static let method = "client.get"
    @Option(help: "The client's id.") var clientId: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("clientId", clientId)
    }
}

struct ClientList: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Clients, oldest first (client.list).")
    static let method = "client.list"
    @Option(help: "Only this partner's clients.") var authPartnerId: String?
    @Option(help: "Only clients in this status.") var status: String?
    @Option(help: "Clients per page (1-500, default 50).") var limit: Int?
    @Option(help: "Start after this cursor (a page's nextCursor).") var cursor: String?
    @Flag(help: "Follow every cursor and print all clients.") var all = false
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    var followsCursors: Bool { all }

    func addFlags(to params: inout ParamsBuilder) {
        params.set("authPartnerId", authPartnerId)
        params.set("status", status)
        params.set("limit", limit)
        params.set("cursor", cursor)
    }
}

/// `client deactivate CLIENT_ID`: `client.update` with status INACTIVE and every other member as
/// stored, read first with `client.get`, since the update replaces the whole client.
struct ClientDeactivate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deactivate", abstract: "Deactivate a client, keeping everything else (client.update).",
        discussion: "Deactivation is final: the daemon refuses any later update of the client.")
    @Argument(help: "The client's id.") var clientId: String
    @Option(help: "Seconds (0-30) to wait for eSignet's answer before replying.") var waitSeconds: Int?
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let invocation = Invocation(global)
        let connection = try invocation.connect()
        let current = try connection.call("client.get", ["clientId": .string(clientId)])
        var params = ParamsBuilder(["clientId": .string(clientId), "status": "INACTIVE"])
        params.set("clientName", current["name"]?.stringValue)
        for member in [
            "logoUri", "redirectUris", "grantTypes", "clientAuthMethods", "clientNameLangMap", "additionalConfig",
        ] {
            if let value = current[member], value != .null {
                params.set(member, value: value)
            }
        }
        params.set("waitSeconds", waitSeconds)
        invocation.print(try connection.call("client.update", params.params), method: "client.update")
    }
}

struct KeyGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Key hashing.", subcommands: [KeyClientId.self])
}

struct KeyClientId: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "client-id", abstract: "The client id PMS derives from a public key (key.clientId).")
    static let method = "key.clientId"
    @OptionGroup var key: PublicKeyOptions
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) throws(CLIError) {
        try key.add(to: &params)
    }
}
