import ArgumentParser

/// `license.*`: MISP licenses.
struct LicenseGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "license", abstract: "MISP license keys.",
        subcommands: [
            LicenseGenerate.self, LicenseUpdate.self, LicenseGet.self, LicenseList.self, LicenseValidate.self,
            LicenseExportProperties.self,
        ])
}

struct LicenseGenerate: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Issue a MISP partner's license key (license.generate).")
    static let method = "license.generate"
    @Option(help: "The MISP partner's id.") var mispId: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("mispId", mispId)
    }
}

struct LicenseUpdate: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Activate or de-activate a license key (license.update).")
    static let method = "license.update"
    @Option(help: "The MISP partner's id.") var providerId: String?
    @Option(help: "The license key.") var licenseKey: String?
    @Option(help: "Active or De-active.") var licenseKeyStatus: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("providerId", providerId)
        params.set("licenseKey", licenseKey)
        params.set("licenseKeyStatus", licenseKeyStatus)
    }
}

struct LicenseGet: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "A MISP partner's current key, renewed when expired (license.get).")
    static let method = "license.get"
    @Option(help: "The MISP partner's id.") var mispId: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("mispId", mispId)
    }
}

struct LicenseList: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Licenses, with only each key's last 4 characters (license.list).")
    static let method = "license.list"
    @Option(help: "Licenses per page.") var limit: Int?
    @Option(help: "Start after this cursor (a page's nextCursor).") var cursor: String?
    @Flag(help: "Follow every cursor and print all licenses.") var all = false
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    var followsCursors: Bool { all }

    func addFlags(to params: inout ParamsBuilder) {
        params.set("limit", limit)
        params.set("cursor", cursor)
    }
}

struct LicenseValidate: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a license key as IDA does (license.validate).")
    static let method = "license.validate"
    @Option(help: "The license key.") var licenseKey: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("licenseKey", licenseKey)
    }
}

struct LicenseExportProperties: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-properties",
        abstract: "Write the current key into eSignet's properties file (license.exportProperties).")
    static let method = "license.exportProperties"
    @Option(help: "The MISP partner's id.") var mispId: String?
    @Option(help: "Another properties file inside the export directory.") var path: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("mispId", mispId)
        params.set("path", path)
    }
}
