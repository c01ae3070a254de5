import CopyPTPolicy
import Foundation

/// Prints policy documents: a one-line heading and the JSON document each, or one JSON object.
struct PolicyPrinter {
    let json: Bool
    let context: CommandContext

    func print(_ documents: [PolicyDocument], principal: PolicyPrincipal? = nil) {
        if json {
            var object: [String: Any] = ["documents": Self.jsonObjects(documents)]
            if let principal { object["principal"] = principal.arn }
            context.print(Self.jsonText(object))
            return
        }
        for (index, document) in documents.enumerated() {
            if index > 0 { context.print("") }
            context.print("# " + document.heading)
            context.print(document.json.rendered())
        }
    }

    static func jsonObjects(_ documents: [PolicyDocument]) -> [[String: Any]] {
        documents.map { document in
            let policy = (try? JSONSerialization.jsonObject(with: Data(document.json.rendered().utf8))) ?? NSNull()
            return ["kind": document.kind.rawValue, "heading": document.heading, "policy": policy]
        }
    }

    static func jsonText(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
