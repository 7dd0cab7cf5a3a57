//! The overview groups boxes by the compose project that made them.

use super::pages::{OverviewPage, by_project};
use super::tests::{fixture_box, fixture_host};
use crate::model::summary::BoxSummary;
use askama::Template;

/// A fixture box as the overview summarises it, made by `project`.
fn summary(name: &str, project: Option<&str>) -> BoxSummary {
    let mut m = fixture_box(name);
    m.project = project.map(String::from);
    BoxSummary::from(&m)
}

fn overview(boxes: &[BoxSummary]) -> String {
    let page = OverviewPage {
        part: true,
        page: "overview",
        topic: String::new(),
        version: String::new(),
        host: fixture_host(),
        groups: by_project(boxes, &[]),
    };
    page.render().expect("the overview renders")
}

#[test]
fn boxes_of_a_compose_project_stand_under_its_name_and_the_others_first() {
    let boxes = [
        summary("shop-web-1", Some("shop")),
        summary("demo", None),
        summary("blog-db-1", Some("blog")),
        summary("shop-db-1", Some("shop")),
    ];
    let groups = by_project(&boxes, &[]);
    let names: Vec<(Option<&str>, Vec<&str>)> =
        groups.iter().map(|g| (g.project.as_deref(), g.rows.iter().map(|r| r.name.as_str()).collect())).collect();
    assert_eq!(
        names,
        [(None, vec!["demo"]), (Some("blog"), vec!["blog-db-1"]), (Some("shop"), vec!["shop-web-1", "shop-db-1"])]
    );
    let page = overview(&boxes);
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} not on the page:\n{page}"));
    assert!(page.contains("boxes in no compose project"), "the boxes of no project say so");
    let shop =
        at("<h2 class=\"project\" id=\"project-shop\">compose project <span class=\"project-name\">shop</span></h2>");
    let blog = at("id=\"project-blog\"");
    assert!(at("data-box=\"demo\"") < blog && blog < at("data-box=\"blog-db-1\""), "no project, then blog's");
    assert!(blog < shop && shop < at("data-box=\"shop-web-1\"") && shop < at("data-box=\"shop-db-1\""));
    assert!(page.contains("<table class=\"boxes cards\" data-project=\"shop\">"));
}

#[test]
fn without_projects_the_overview_is_as_before() {
    let page = overview(&[summary("demo", None), summary("other", None)]);
    assert!(page.contains("2 boxes under this root"), "{page}");
    assert!(!page.contains("compose project"), "no project heading: {page}");
    assert_eq!(page.matches("<table").count(), 1);
}
