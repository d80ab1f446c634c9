/// ECMAScript `Number.prototype.toString` formatting, which RFC 8785 prescribes for numbers.
enum CanonicalNumber {
    static func format(_ number: JSONNumber) -> String {
        if let int = Int(number.text), abs(int) < 1 << 53 { return String(int) }
        guard let double = Double(number.text), double.isFinite else { return number.text }
        return format(double)
    }

    static func format(_ double: Double) -> String {
        if double == 0 { return "0" }
        if double < 0 { return "-" + format(-double) }
        let (digits, exponent) = shortestDigits(double)
        return layout(digits: digits, pointPosition: exponent)
    }

    /// The shortest round-trip decimal digits of `double` and the position `n` of the decimal
    /// point relative to them (value = 0.d1d2… × 10^n), read from Swift's own shortest printing.
    private static func shortestDigits(_ double: Double) -> (digits: [UInt8], pointPosition: Int) {
        let text = Array(double.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(of: UInt8(ascii: "e")) {
            mantissa = text[..<e]
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self))!
        }
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(byte)
                if !seenPoint { integerDigits += 1 }
            }
        }
        var point = integerDigits + exponent
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }

    private static func layout(digits: [UInt8], pointPosition n: Int) -> String {
        let k = digits.count
        let digitText = String(decoding: digits, as: UTF8.self)
        if k <= n && n <= 21 {
            return digitText + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            return String(decoding: digits[..<n], as: UTF8.self) + "." + String(decoding: digits[n...], as: UTF8.self)
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digitText
        }
        let exponent = n - 1
        let sign = exponent < 0 ? "-" : "+"
        let mantissa =
            k == 1
            ? digitText
            : String(decoding: digits[..<1], as: UTF8.self) + "." + String(decoding: digits[1...], as: UTF8.self)
        return mantissa + "e" + sign + String(abs(exponent))
    }
}
