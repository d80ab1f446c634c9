import ArgumentParser

/// `journal.*`: the hash-chained record of every change.
struct JournalGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "The journal of every change.",
        subcommands: [JournalList.self, JournalVerify.self])
}

struct JournalList: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Journal entries, oldest first (journal.list).")
    static let method = "journal.list"
    @Option(help: "Start after this seq (a page's nextAfterSeq).") var afterSeq: Int?
    @Option(help: "Only entries of this entity.") var entityId: String?
    @Option(help: "Entries per page (1-1000, default 100).") var limit: Int?
    @Flag(help: "Follow every page and print all entries.") var all = false
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    var followsCursors: Bool { all }

    func addFlags(to params: inout ParamsBuilder) {
        params.set("afterSeq", afterSeq)
        params.set("entityId", entityId)
        params.set("limit", limit)
    }
}

struct JournalVerify: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chain (journal.verify).")
    static let method = "journal.verify"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

/// `outbox.*`: what is owed to eSignet and IDA.
struct OutboxGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Deliveries to eSignet and IDA.",
        subcommands: [OutboxList.self, OutboxRetry.self])
}

struct OutboxList: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Outbox entries, oldest first (outbox.list).")
    static let method = "outbox.list"
    @Option(help: "pending, delivered, failed or rejected.") var status: String?
    @Option(help: "esignet or ida.") var target: String?
    @Option(help: "Start after this seq.") var after: Int?
    @Option(help: "Entries per page (1-1000, default 100).") var limit: Int?
    @Flag(help: "Follow every page and print all entries.") var all = false
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    var followsCursors: Bool { all }

    func addFlags(to params: inout ParamsBuilder) {
        params.set("status", status)
        params.set("target", target)
        params.set("after", after)
        params.set("limit", limit)
    }
}

struct OutboxRetry: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put a failed or rejected entry back to pending (outbox.retry).")
    static let method = "outbox.retry"
    @Option(help: "The entry's seq.") var seq: Int?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("seq", seq)
    }
}
