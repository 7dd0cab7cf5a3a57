//! The words every layer shares: kinds of namespace, limits, the network,
//! hardening and volume records, which images to import, the other parts of
//! a box record. Plain data (serde at most): this module imports nothing
//! else of the crate, so anything may import it without a cycle
//! (scripts/check-layers.py checks).

pub mod hardening;
pub mod image;
pub mod limits;
pub mod namespace;
pub mod network;
pub mod pool;
pub mod record;
pub mod volume;

pub use namespace::NamespaceKind;
