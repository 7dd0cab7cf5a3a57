//! Cgroup limits as a box records them: the values `limit` set, which every
//! layer reads (the planner writes them, inspect and the web page show them).
//! Parsing what users type stays with the stage that checks it
//! (`stage::cgroup::limits`).

use serde::{Deserialize, Serialize};

/// A byte or count limit, or no limit at all (`max`). In JSON: a number
/// or the string "max", as cgroup v2 writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Limit {
    Value(u64),
    #[serde(with = "max_word")]
    Max,
}

mod max_word {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("max")
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<(), D::Error> {
        match String::deserialize(d)?.as_str() {
            "max" => Ok(()),
            other => Err(serde::de::Error::custom(format!("expected \"max\", got {other:?}"))),
        }
    }
}

/// What `limit` sets; `None` leaves a limit as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    pub memory: Option<Limit>,
    pub memory_swap: Option<Limit>,
    /// CPU quota in microseconds per 100 ms period.
    pub cpu_quota_us: Option<Limit>,
    pub pids: Option<Limit>,
    pub cpuset: Option<String>,
    pub io_weight: Option<u64>,
}

pub const CPU_PERIOD_US: u64 = 100_000;
