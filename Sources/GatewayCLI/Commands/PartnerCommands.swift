import ArgumentParser

/// `partner.*`: the partners PMS pushes.
struct PartnerGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner", abstract: "Partners and their policy mappings.",
        subcommands: [PartnerPut.self, PartnerGet.self, PartnerMapPolicy.self])
}

struct PartnerPut: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Create or replace a partner (partner.put).")
    static let method = "partner.put"
    @Option(help: "1-36 characters.") var partnerId: String?
    @Option(help: "Auth_Partner, MISP_Partner, ...") var partnerType: String?
    @Option(help: "The partner's name.") var name: String?
    @Option(help: "ACTIVE or INACTIVE.") var status: String?
    @Option(help: "The partner's certificate (PEM text).") var certificateData: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("partnerId", partnerId)
        params.set("partnerType", partnerType)
        params.set("name", name)
        params.set("status", status)
        params.set("certificateData", certificateData)
    }
}

struct PartnerGet: MethodCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "One partner (partner.get).")
    static let method = "partner.get"
    @Option(help: "The partner's id.") var partnerId: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("partnerId", partnerId)
    }
}

struct PartnerMapPolicy: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "map-policy", abstract: "Map a policy to a partner (partner.mapPolicy).")
    static let method = "partner.mapPolicy"
    @Option(help: "The partner's id.") var partnerId: String?
    @Option(help: "The policy's id.") var policyId: String?
    @Option(help: "approved, InProgress or rejected.") var status: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("partnerId", partnerId)
        params.set("policyId", policyId)
        params.set("status", status)
    }
}

/// `policy.*`: the policies PMS pushes, and the claims and ACRs a client would get from one.
struct PolicyGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Auth and MISP policies.",
        subcommands: [PolicyPut.self, PolicyGet.self, PolicyDerive.self])
}

struct PolicyPut: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Create or replace a policy (policy.put).")
    static let method = "policy.put"
    @Option(help: "1-36 characters.") var policyId: String?
    @Option(help: "Auth, MISP, ...") var policyType: String?
    @Option(help: "The policy's name.") var name: String?
    @Option(help: "Required for Auth and MISP policies.") var description: String?
    @Option(help: "ACTIVE or INACTIVE.") var status: String?
    @Option(help: "Start of validity (ISO-8601).") var validFrom: String?
    @Option(help: "End of validity (ISO-8601).") var validTo: String?
    @Option(help: ArgumentHelp("The policy document: JSON or @FILE.", valueName: "json|@file"), completion: .file())
    var policy: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) throws(CLIError) {
        params.set("policyId", policyId)
        params.set("policyType", policyType)
        params.set("name", name)
        params.set("description", description)
        params.set("status", status)
        params.set("validFrom", validFrom)
        params.set("validTo", validTo)
        try params.setObject("policy", policy, flag: "--policy")
    }
}

struct PolicyGet: MethodCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "One policy (policy.get).")
    static let method = "policy.get"
    @Option(help: "The policy's id.") var policyId: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("policyId", policyId)
    }
}

struct PolicyDerive: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive", abstract: "The claims and ACRs a policy gives a client, as a dry run (policy.derive).")
    static let method = "policy.derive"
    @Option(help: "A stored policy's id.") var policyId: String?
    @Option(
        help: ArgumentHelp("A policy document instead: JSON or @FILE.", valueName: "json|@file"), completion: .file())
    var policy: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) throws(CLIError) {
        params.set("policyId", policyId)
        try params.setObject("policy", policy, flag: "--policy")
    }
}
