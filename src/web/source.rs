//! Where the web server's models come from. The server reads the same model
//! as `inspect --json` (never a second description of a box); tests put
//! fixture models behind the same trait to test routes without a kernel.

use crate::model::host::{self, HostModel};
use crate::model::{self, BoxModel};
use crate::state::{BoxRecord, Root, names};

pub trait Source: Send + Sync + 'static {
    fn box_names(&self) -> Vec<String>;
    /// None: no such box (never made, or removed).
    fn one(&self, name: &str) -> Option<BoxModel>;
    fn host_summary(&self) -> HostModel;
    fn host(&self, boxes: &[BoxModel]) -> HostModel;

    fn boxes(&self) -> Vec<BoxModel> {
        self.box_names().iter().filter_map(|n| self.one(n)).collect()
    }
}

/// The boxes under one glassbox root, read from their records and /proc.
pub struct LiveSource {
    pub root: Root,
}

impl Source for LiveSource {
    fn box_names(&self) -> Vec<String> {
        BoxRecord::list(&self.root)
    }
    fn one(&self, name: &str) -> Option<BoxModel> {
        names::validate("box", name).ok()?;
        let record = BoxRecord::load(&self.root, name).ok()?;
        Some(model::collect(&self.root, &record))
    }
    fn boxes(&self) -> Vec<BoxModel> {
        model::collect_all(&self.root, &BoxRecord::load_all(&self.root))
    }
    fn host_summary(&self) -> HostModel {
        host::summary(&self.root)
    }
    fn host(&self, boxes: &[BoxModel]) -> HostModel {
        host::collect(&self.root, boxes)
    }
}
