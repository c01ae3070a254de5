import CopyPTS3

/// How one CopyObject probe was answered.
enum WriteProbeOutcome: Sendable, Equatable {
    /// Written (write probe), or refused only by the failing precondition (412).
    case permitted
    /// The server copied although the precondition could not match; the probe object exists.
    case copiedDespitePrecondition
    /// Refused for another reason.
    case refused(S3Error)

    /// The class of a refusal, from its code and message alone.
    enum Refusal: Equatable {
        case aclNotSupported
        case kmsKeyNotFound
        case kmsDenied
        case region
        case accessDenied
        case other
    }

    /// Classifies a refused copy by its S3 error code and message.
    static func refusal(_ error: S3Error) -> Refusal {
        let code = error.code ?? ""
        let message: String
        if case .service(_, _, _, let text, _) = error { message = text } else { message = "" }
        switch code {
        case "AccessControlListNotSupported": return .aclNotSupported
        case "KMS.NotFoundException", "KMS.NotFound", "NotFoundException": return .kmsKeyNotFound
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "Redirect": return .region
        case _ where code.hasPrefix("KMS."): return .kmsDenied
        case "AccessDenied" where message.uppercased().contains("KMS"): return .kmsDenied
        case "AccessDenied", "AllAccessDisabled": return .accessDenied
        default: return error.status == 301 ? .region : .other
        }
    }
}
