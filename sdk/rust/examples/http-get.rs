//! Calls the API at API_URL (the app's env) and answers with what it said, on the Rust SDK for
//! outbound HTTP (sdk/rust/wasmcompute_http.rs), like sdk/c/examples/http-get.c. List
//! the API's origin in allowed_hosts of wasmcompute.yaml.
//!
//!   rustc --target wasm32-wasip1 -O sdk/rust/examples/http-get.rs
//!
//! Not built for wasm32 in this repository's checks (no wasm32 standard library there): cargo
//! type-checks it on the host (`cargo check --examples --features imports-on-host`, sdk/rust).
use std::env;
use std::io::{self, Write};

#[path = "../wasmcompute_http.rs"]
mod wasmcompute_http;
use wasmcompute_http::http;

fn main() {
    let url = env::var("API_URL").unwrap_or_default();
    let mut out = io::stdout();
    let answer = match http::request("GET", &url, &[("accept", "application/json")], &[]) {
        Ok(res) => format!("Content-Type: text/plain\n\n{} {}\n", res.status, res.text_lossy()),
        Err(e) => format!("Status: 502\nContent-Type: text/plain\n\n{}\n", e),
    };
    out.write_all(answer.as_bytes()).unwrap();
}
