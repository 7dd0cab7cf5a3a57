//! `compose logs [-f] [SERVICE]`: each box's output.log (what `run -d`
//! writes its main process's output to), every line prefixed with its box.

use super::Ctx;
use crate::compose::hosts;
use crate::compose::project::Project;
use crate::error::{Result, UsageError};
use std::io::{Read, Seek, SeekFrom};

pub fn logs(p: &Project, service: Option<&str>, follow: bool, ctx: &Ctx) -> Result<u8> {
    if let Some(s) = service.filter(|s| !p.services.contains_key(*s)) {
        return Err(UsageError::ComposeLogsNoService { service: format!("{s:?}"), file: p.file.clone() }.into());
    }
    let boxes: Vec<String> = hosts::members(&ctx.root, &p.name)
        .into_iter()
        .map(|r| r.name)
        .filter(|n| service.is_none_or(|s| hosts::service_of(&p.name, n) == s))
        .collect();
    if boxes.is_empty() {
        return Err(UsageError::ComposeNoBoxes { project: p.name.clone() }.into());
    }
    let mut read_to: Vec<u64> = vec![0; boxes.len()];
    loop {
        for (b, at) in boxes.iter().zip(read_to.iter_mut()) {
            let mut text = String::new();
            if let Ok(mut f) = std::fs::File::open(ctx.root.log_path(b)) {
                let _ = f.seek(SeekFrom::Start(*at));
                let _ = f.read_to_string(&mut text);
            }
            // Whole lines only: a line still being written waits for its end.
            let whole = text.rfind('\n').map(|i| i + 1).unwrap_or(0);
            *at += whole as u64;
            let lines: String = text[..whole].lines().map(|l| format!("{b} | {l}\n")).collect();
            crate::output::text(&lines);
        }
        if !follow {
            return Ok(0);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}
