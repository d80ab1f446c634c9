import ArgumentParser
import GatewayJSON

/// A subcommand that calls one daemon method (SPEC 8): its flags are the method's params in
/// kebab-case, `--params` supplies the rest, and a flag wins over the same key there.
protocol MethodCommand: ParsableCommand {
    /// The JSON-RPC method, e.g. `partner.mapPolicy`.
    static var method: String { get }
    var global: GlobalOptions { get }
    var input: ParamsOption { get }
    /// Whether to join every page (`--all`); only list methods have the flag.
    var followsCursors: Bool { get }
    /// Writes the params this command's own flags give over `params`.
    func addFlags(to params: inout ParamsBuilder) throws(CLIError)
}

extension MethodCommand {
    var followsCursors: Bool { false }

    func addFlags(to params: inout ParamsBuilder) throws(CLIError) {}

    /// `--params`, then the flags.
    func params() throws(CLIError) -> JSONObject {
        var builder = ParamsBuilder(try input.object())
        try addFlags(to: &builder)
        return builder.params
    }

    func run() throws {
        try Invocation(global).perform(Self.method, try params(), followCursors: followsCursors)
    }
}

/// `--key FILE` beside `--public-key JSON|@FILE`: the two ways to give `client create` and
/// `key client-id` their `publicKey`.
struct PublicKeyOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The public key as a JWK: JSON or @FILE.", valueName: "json|@file"))
    var publicKey: String?

    @Option(
        help: ArgumentHelp(
            "A key file: a JWK, or PEM (PUBLIC KEY, RSA PUBLIC KEY, or an unencrypted PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY). Only the public half is sent.",
            valueName: "file"),
        completion: .file())
    var key: String?

    func add(to params: inout ParamsBuilder) throws(CLIError) {
        if publicKey != nil && key != nil { throw .usage("give either --key or --public-key, not both") }
        try params.setObject("publicKey", publicKey, flag: "--public-key")
        if let key { params.set("publicKey", object: try KeyFile.publicJWK(path: key)) }
    }
}
