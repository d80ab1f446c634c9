import Configuration

/// Typed reads from the merged configuration, each failing with a message that names the key.
struct TypedConfigReader {
    let reader: ConfigReader
    let file: String

    private func problem(_ key: String, _ text: String) -> ConfigurationError {
        ConfigurationError("config \(file): \(key) \(text)")
    }

    func string(_ key: String) throws(ConfigurationError) -> String {
        guard let value = reader.string(forKey: ConfigFlattening.key(key).configKey), !value.isEmpty else {
            throw problem(key, "must be a non-empty string")
        }
        return value
    }

    func optionalString(_ key: String) throws(ConfigurationError) -> String? {
        let value = reader.string(forKey: ConfigFlattening.key(key).configKey)
        if let value, value.isEmpty { throw problem(key, "must be null or a non-empty string") }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = reader.int(forKey: ConfigFlattening.key(key).configKey) else {
            throw problem(key, "must be an integer")
        }
        guard range.contains(value) else {
            throw problem(key, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return value
    }

    func bool(_ key: String) throws(ConfigurationError) -> Bool {
        guard let value = reader.bool(forKey: ConfigFlattening.key(key).configKey) else {
            throw problem(key, "must be true or false")
        }
        return value
    }

    func strings(_ key: String) throws(ConfigurationError) -> [String] {
        guard let value = reader.stringArray(forKey: ConfigFlattening.key(key).configKey), !value.isEmpty else {
            throw problem(key, "must be a non-empty list of strings")
        }
        return value
    }

    /// An octal mode such as `"0660"`.
    func fileMode(_ key: String) throws(ConfigurationError) -> UInt32 {
        let text = try string(key)
        guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
            throw problem(key, "must be an octal file mode such as \"0660\"")
        }
        return mode
    }

    func logLevel(_ key: String) throws(ConfigurationError) -> String {
        let level = try string(key)
        guard LogLevels.names.contains(level) else {
            throw problem(key, "must be one of \(LogLevels.names.joined(separator: ", "))")
        }
        return level
    }
}

extension AbsoluteConfigKey {
    var configKey: ConfigKey { ConfigKey(components) }
}
