/// `text` without ANSI SGR sequences (`ESC [ ... m`), the only escapes the command line writes:
/// what a person sees of a coloured line.
public func strippingANSIColour(_ text: String) -> String {
    var result = ""
    var inEscape = false
    for character in text {
        if character == "\u{1B}" {
            inEscape = true
        } else if inEscape {
            if character == "m" { inEscape = false }
        } else {
            result.append(character)
        }
    }
    return result
}
