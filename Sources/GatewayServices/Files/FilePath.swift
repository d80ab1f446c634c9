/// Path arithmetic for config-relative paths (SPEC 1: relative paths resolve against the
/// directory of the config file).
public enum FilePath {
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") { return path }
        return base == "." ? path : "\(base)/\(path)"
    }
}
