//! A step's whys on the Korean page are Korean (issue 30): a record keeps
//! the whys in English (a stage's literal, a `format!` with a name in it,
//! or a catalogue why in the language of the `serve` that read the box),
//! and the page shows each in the reader's language.

use super::ko_page_tests::korean;
use crate::i18n::{Lang, message_in};
use crate::plan::Faces;
use crate::plan::op::{self, Op};
use crate::stage::NamespaceKind;
use fluent_bundle::FluentValue;

/// Operations a real step records, their faces as an English `serve` reads them.
pub fn english_ops() -> Vec<Faces> {
    let memory = "above this the kernel reclaims, then OOM-kills a process of the box";
    let ops: [Op; 3] = [
        op::Unshare { kind: NamespaceKind::Uts }.into(),
        op::WriteCgroup {
            file: "/sys/fs/cgroup/glassbox/demo/memory.max".into(),
            value: "67108864".into(),
            why: memory.into(),
        }
        .into(),
        op::RemoveFile {
            path: "/var/lib/glassbox/images/busybox.json".into(),
            why: format!("the record of image {}", "busybox"),
        }
        .into(),
    ];
    ops.iter().map(|o| o.faces_in(Lang::En)).collect()
}

fn unescaped(html: &str) -> String {
    html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[tokio::test]
async fn a_steps_recorded_english_whys_show_in_korean() {
    let page = unescaped(&korean("/box/demo").await);
    let uts = |l| {
        let what = FluentValue::from(message_in(l, "isolates-uts", &[]));
        let args =
            [("kind", FluentValue::from("uts")), ("what", what), ("man", FluentValue::from("uts_namespaces(7)"))];
        message_in(l, "why-unshare", &args)
    };
    let image = |l| message_in(l, "why-rec-image-record", &[("name", FluentValue::from("busybox"))]);
    let pairs = [
        (uts(Lang::En), uts(Lang::Ko)),
        (message_in(Lang::En, "why-rec-memory", &[]), message_in(Lang::Ko, "why-rec-memory", &[])),
        (image(Lang::En), image(Lang::Ko)),
    ];
    let recorded: Vec<String> = english_ops().into_iter().map(|f| f.why).collect();
    for (english, korean) in pairs {
        assert!(recorded.contains(&english), "the fixture records {english:?}: {recorded:?}");
        assert_ne!(english, korean);
        assert!(page.contains(&korean), "the Korean why {korean:?} on the page");
        assert!(!page.contains(&english), "the English why {english:?} on the Korean page");
    }
}
