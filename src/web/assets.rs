//! The page's CSS, script and icon, compiled into the binary so that the
//! installed `glassbox` alone serves a complete page, offline.

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

pub const ASSETS: [Asset; 3] = [
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../web/static/style.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../web/static/app.js"),
    },
    Asset {
        name: "glassbox.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../web/static/glassbox.svg"),
    },
];

pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}
