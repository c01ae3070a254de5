/// Text Globus sends (error messages, `error_description`), made fit for one line of an error
/// message, a log line or cron mail.
///
/// Globus Transfer relays endpoint errors verbatim, several lines long (globus-sdk's recorded
/// `operation_stat` "not_found" answer is nine lines), and copypt promises one-line errors.
enum GlobusText {
    /// `text` with every run of control characters (newlines, tabs, carriage returns; also
    /// U+2028/U+2029) and the spaces around them as one space, trimmed, and cut to `limit`
    /// characters with `…` when longer.
    static func oneLine(_ text: String, limit: Int = 300) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " || scalar.properties.generalCategory == .control
                || scalar == "\u{2028}" || scalar == "\u{2029}" {
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        guard out.count > limit else { return out }
        return String(out.prefix(max(limit - 1, 0))) + "…"
    }
}
