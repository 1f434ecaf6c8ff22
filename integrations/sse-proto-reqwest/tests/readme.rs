//! The README's LLM example runs against a local server, and the README
//! shows exactly the code of `examples/llm.rs`.

mod common;
#[allow(dead_code)]
#[path = "../examples/llm.rs"]
mod llm;

use std::time::Duration;

use common::{within, End, Reply, Server};

fn token(text: &str) -> String {
    format!("data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{text}\"}}}}]}}\n\n")
}

#[tokio::test]
async fn the_llm_example_prints_tokens_until_done() {
    let server = Server::start(|_, _| {
        let mut pieces: Vec<String> = ["Hel", "lo", "!"].iter().map(|text| token(text)).collect();
        pieces.push("data: [DONE]\n\n".into());
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        // The connection stays open after [DONE]: the example must stop by itself.
        Reply::stream(&pieces, End::Hang)
    })
    .await;
    within(Duration::from_secs(10), llm::chat(&server.url, "sk-test"))
        .await
        .unwrap();
    let requests = server.seen();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].header("authorization"), Some("Bearer sk-test"));
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    let prompt: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(prompt["stream"], true);
}

#[test]
fn the_readme_shows_the_examples_code() {
    let example = include_str!("../examples/llm.rs");
    let readme = include_str!("../README.md");
    let begin = example.find("// README begin\n").unwrap() + "// README begin\n".len();
    let end = example.find("    // README end").unwrap();
    let code: String = example[begin..end]
        .lines()
        .map(|line| format!("{}\n", line.strip_prefix("    ").unwrap_or(line)))
        .collect();
    assert!(
        readme.contains(&code),
        "the README's example differs from examples/llm.rs:\n{code}"
    );
}
