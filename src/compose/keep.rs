//! A built service's previous image, kept to roll back to.
//!
//! A service with `build` and no versioned `image:` is built under one name
//! (PROJECT-SERVICE); `up --build` builds it again under that same name,
//! which then names the new layers only. A rolling update that fails would
//! replay the old replicas' `rootfs BOX PROJECT-SERVICE` and get the new,
//! broken build back. So before the build, the image the replicas run is
//! kept under a second name, PROJECT-SERVICE-previous (its record copied,
//! its layers shared, as `docker tag` does), and a rollback replays
//! `rootfs` with that name. Once no box uses it (the update went through),
//! it is removed again with `glassbox image rm`.

use super::hosts::{members, service_of};
use super::project::Project;
use super::resolve::Service;
use super::runner::Steps;
use crate::image::store::Store;
use crate::state::{BoxRecord, Root};

/// The name the previous build of `image` is kept under.
pub fn kept_name(image: &str) -> String {
    format!("{image}-previous")
}

fn used(root: &Root, image: &str) -> bool {
    BoxRecord::load_all(root).iter().any(|r| r.image.as_deref() == Some(image))
}

/// Before `up` builds again: the image of each built service whose replicas
/// run it now, kept under `kept_name` (one already kept that a box still
/// runs, after a rollback, stays as it is).
pub fn before_build(root: &Root, p: &Project, services: &[String]) {
    let store = Store::at(root);
    let boxes = members(root, &p.name);
    for s in p.services.values().filter(|s| s.build.is_some() && (services.is_empty() || services.contains(&s.name))) {
        let Ok(mut image) = store.image(&s.image) else { continue };
        let runs_it = boxes.iter().any(|r| {
            service_of(&p.name, &r.name) == s.name && super::update::current(r, &s.image, Some(&image.layers))
        });
        let kept = kept_name(&s.image);
        if !runs_it || used(root, &kept) || crate::state::names::validate("image", &kept).is_err() {
            continue;
        }
        image.name = kept.clone();
        let saved = store.lock().and_then(|_lock| store.save_image(&image));
        match saved {
            Ok(()) => {
                crate::output::progress!("{}", crate::i18n::tr!("compose-image-kept", service = s.name, kept = kept))
            }
            Err(e) => crate::output::warning(&crate::i18n::tr!(
                "warning-rollback-not-kept",
                service = s.name,
                error = e.to_string()
            )),
        }
    }
}

/// The image a rollback of `s` puts back: the kept one, if there is one.
pub fn previous(root: &Root, s: &Service) -> Option<String> {
    let kept = kept_name(&s.image);
    (s.build.is_some() && Store::at(root).image(&kept).is_ok()).then_some(kept)
}

/// After a rolling update: the kept image, once no box runs it.
pub fn forget_unused(root: &Root, s: &Service, steps: &Steps) {
    if let Some(kept) = previous(root, s).filter(|k| !used(root, k)) {
        let _ = steps.step(&s.name, &["image".into(), "rm".into(), kept]);
    }
}
