//! What a step that takes something away did: removed a box, an image or a
//! volume, stopped a box, reset a root. Each is a value a command returns
//! (`--json` prints it as it is, `Display` is the summary a person reads),
//! so these commands answer a script as every other command does.

use crate::i18n::tr;
use serde::Serialize;
use std::fmt::{self, Display};
use std::path::PathBuf;

/// Something removed, with the boxes a volume was detached from first.
#[derive(Debug, Serialize)]
pub struct Removed {
    /// `box`, `image` or `volume`.
    pub removed: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub detached_from: Vec<String>,
}

impl Removed {
    pub fn new(removed: &'static str, name: &str) -> Removed {
        Removed { removed, name: name.to_string(), detached_from: vec![] }
    }
}

impl Display for Removed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        for b in &self.detached_from {
            writeln!(f, "{}", tr!("step-volume-detached", volume = name, name = b))?;
        }
        match self.removed {
            "image" => f.write_str(&tr!("step-image-removed", name = name)),
            "volume" => f.write_str(&tr!("step-volume-removed", name = name)),
            _ => f.write_str(&tr!("step-removed", name = name)),
        }
    }
}

/// What `stop` ended: the init (and the PID namespace with it, and the
/// processes of the boxes sharing it), the main process, or nothing.
#[derive(Debug, Serialize)]
pub struct Stopped {
    pub name: String,
    /// `init`, `main`, or `nothing` when nothing was running.
    pub ended: &'static str,
    /// Boxes sharing the ended PID namespace, whose processes ended too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sharers: Vec<String>,
}

impl Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        let what = match self.ended {
            "nothing" => return f.write_str(&tr!("step-stop-nothing", name = name)),
            "init" => tr!("step-stop-init"),
            _ => tr!("step-stop-main"),
        };
        f.write_str(&tr!("step-stopped", name = name, what = what))?;
        if !self.sharers.is_empty() {
            write!(f, "\n{}", tr!("step-stop-sharers", boxes = self.sharers.join(", ")))?;
        }
        Ok(())
    }
}

/// What `reset` removed.
#[derive(Debug, Serialize)]
pub struct Reset {
    pub root: PathBuf,
    pub boxes_removed: usize,
}

impl Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&tr!("step-reset", count = self.boxes_removed, root = self.root))
    }
}
