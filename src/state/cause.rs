//! What made a step, when it was not typed: the request of a front door.
//!
//! `glassbox daemon` turns each Docker API call into ordinary glassbox steps,
//! each run as the glassbox command a learner would type. The daemon hands
//! the request to that command in the environment (`GLASSBOX_CAUSE`, one
//! JSON object), and every step the command records carries it, so
//! `glassbox history` can show `POST /containers/create` above the five
//! steps it was. A typed command has no cause.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The environment variable a front door sets for the steps it runs.
pub const ENV: &str = "GLASSBOX_CAUSE";

/// The longest request path kept (a query string can be long; the digest
/// of the body says the rest).
const MAX_PATH: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cause {
    /// The front door: "docker API".
    pub via: String,
    /// The HTTP method and the path with its query, as the client sent them.
    pub method: String,
    pub path: String,
    /// `sha256:HEX` of the request body; none for an empty one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl Cause {
    pub fn new(via: &str, method: &str, path: &str, body: &[u8]) -> Cause {
        use sha2::Digest;
        let body = (!body.is_empty()).then(|| format!("sha256:{}", hex::encode(sha2::Sha256::digest(body))));
        let path: String = path.chars().take(MAX_PATH).collect();
        Cause { via: via.into(), method: method.into(), path, body }
    }

    /// One line: `POST /v1.47/containers/create?name=web (body sha256:1a2b3c4d5e6f)`.
    pub fn line(&self) -> String {
        let body = self.body.as_deref().map(|d| format!(" (body {})", short(d))).unwrap_or_default();
        format!("{} {}{body}", self.method, self.path)
    }
}

/// `sha256:` and the first 12 hex digits.
pub fn short(digest: &str) -> String {
    let hex = digest.trim_start_matches("sha256:");
    format!("sha256:{}", &hex[..hex.len().min(12)])
}

/// The cause of every step this process records: read once from the
/// environment. A value that does not parse is no cause (it is never an
/// error: a step must not fail over what only annotates it).
pub fn current() -> Option<Cause> {
    static CURRENT: OnceLock<Option<Cause>> = OnceLock::new();
    CURRENT
        .get_or_init(|| {
            let text = std::env::var(ENV).ok()?;
            let mut cause: Cause = serde_json::from_str(&text).ok()?;
            cause.path = cause.path.chars().take(MAX_PATH).collect();
            Some(cause)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_names_the_request_and_a_digest_of_its_body() {
        let c = Cause::new("docker API", "POST", "/v1.47/containers/create?name=web", b"{}");
        assert_eq!(c.body.as_deref(), Some("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
        assert_eq!(c.line(), "POST /v1.47/containers/create?name=web (body sha256:44136fa355b3)");
        assert_eq!(Cause::new("docker API", "DELETE", "/containers/web", b"").line(), "DELETE /containers/web");
    }
}
