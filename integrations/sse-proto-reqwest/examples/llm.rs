//! The README's example: stream an LLM's answer (an OpenAI-style chat
//! completion) and print its tokens as they come.
//!
//! ```sh
//! OPENAI_API_KEY=... cargo run -p sse-proto-reqwest --example llm -- https://api.openai.com/v1/chat/completions
//! ```
//!
//! `tests/readme.rs` runs `chat` against a local server and checks that
//! the README shows exactly this code.

use std::error::Error;
use std::io::Write as _;

use sse_proto_reqwest::{reqwest, EventSource};

/// POSTs a prompt to `url` with `key` as bearer token and prints the
/// answer's tokens until `data: [DONE]`.
pub(crate) async fn chat(url: &str, key: &str) -> Result<(), Box<dyn Error>> {
    // README begin
    let body = r#"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#;
    let request = reqwest::Client::new().post(url).bearer_auth(key).body(body);
    let mut events = EventSource::new(request.header("content-type", "application/json"))?;
    while let Some(event) = events.next().await.transpose()? {
        if event.data == "[DONE]" {
            break;
        }
        let chunk: serde_json::Value = serde_json::from_str(&event.data)?;
        let token = chunk["choices"][0]["delta"]["content"].as_str();
        print!("{}", token.unwrap_or(""));
        std::io::stdout().flush()?;
    }
    // README end
    println!();
    Ok(())
}

#[allow(dead_code)] // `tests/readme.rs` includes this file for `chat` alone
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: llm URL (with OPENAI_API_KEY set)")?;
    let key = std::env::var("OPENAI_API_KEY")?;
    chat(&url, &key).await
}
