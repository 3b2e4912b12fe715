//! `heft explain` on the bundled example: the text and the JSON.

use std::process::Output;

use serde_json::Value;

use crate::env::example;

fn heft(args: &[&str]) -> Output {
    crate::env::heft_output(&example(), args)
}

#[test]
fn explain_prints_the_anatomy_and_the_recipe() {
    let out = heft(&["explain", "./cmd/agent", "example.com/busybox/pkg/config", "pkg/timeutil"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("imported at pkg/config/defaults.go:11"), "{text}");
    assert!(text.contains("constant   timeutil.DefaultTickSeconds"), "{text}");
    assert!(text.contains("pkg/config/defaults.go:17:"), "{text}");
    assert!(text.contains("recipe: constants only"), "{text}");
}

#[test]
fn explain_json() {
    let out = heft(&["explain", "--json", "./cmd/admission", "pkg/grpcerr", "pkg/db/driver"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["importer"], "example.com/busybox/pkg/grpcerr");
    let site = &doc["importSites"][0];
    assert_eq!(
        (&site["package"], &site["file"], &site["line"], &site["col"]),
        (&"example.com/busybox/pkg/grpcerr".into(), &"pkg/grpcerr/database.go".into(), &12.into(), &2.into())
    );
    assert_eq!(doc["counts"]["identifiers"], 1);
    assert_eq!(doc["idents"][0]["name"], "Error");
    assert_eq!(doc["idents"][0]["kind"], "struct");
    assert_eq!(doc["idents"][0]["errorsTarget"], true);
    assert_eq!(doc["idents"][0]["sites"][0]["line"], 17);
    assert_eq!(doc["idents"][0]["decl"]["file"], "pkg/db/driver/errors.go");
    assert_eq!(doc["recipe"]["recipe"], "error_target");
    assert!(doc["recipeText"].as_str().unwrap().contains("method-set interface"));
}

#[test]
fn explain_rejects_an_edge_that_does_not_exist() {
    let out = heft(&["explain", "./cmd/agent", "pkg/timeutil", "pkg/config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not import"));
}
