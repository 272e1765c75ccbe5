//! A counter and a small key-value API on the Rust SDK (sdk/rust/wasmcompute.rs), with the same
//! routes as the C and AssemblyScript examples (see sdk/c/examples/kv-counter.c);
//! lib/kv/kv-sdk.test.ts runs all three through a gateway.
//!
//!   rustc --target wasm32-wasi -O sdk/rust/examples/kv-counter.rs
use std::env;
use std::io::{self, Read, Write};

#[path = "../wasmcompute.rs"]
mod wasmcompute;
use wasmcompute::kv;

fn respond(status: u16, body: &[u8]) {
    let mut out = io::stdout();
    let mut head = String::from("Content-Type: text/plain\n");
    if status != 200 {
        head.push_str(&format!("Status: {}\n", status));
    }
    head.push('\n');
    out.write_all(head.as_bytes()).unwrap();
    out.write_all(body).unwrap();
}

fn fail(e: kv::Error) {
    let status = if e == kv::Error::Conflict { 409 } else { 500 };
    respond(status, format!("{}\n", e).as_bytes());
}

fn body() -> Vec<u8> {
    let len: usize = env::var("CONTENT_LENGTH").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut buf = Vec::with_capacity(len);
    io::stdin().take(len as u64).read_to_end(&mut buf).unwrap();
    buf
}

fn query(name: &str) -> Option<String> {
    let q = env::var("QUERY_STRING").unwrap_or_default();
    q.split('&').find_map(|item| {
        let (k, v) = item.split_once('=')?;
        if k == name {
            Some(v.to_string())
        } else {
            None
        }
    })
}

fn route(path: &str) -> Result<(), kv::Error> {
    if path == "/" || path == "/count" {
        let hits = kv::incr("hits", 1)?;
        kv::set_with_ttl("last", hits.to_string().as_bytes(), 3600)?;
        respond(200, format!("{}\n", hits).as_bytes());
    } else if let Some(key) = path.strip_prefix("/get/") {
        match kv::get(key)? {
            Some(value) => {
                io::stdout().write_all(b"Content-Type: application/octet-stream\n\n").unwrap();
                io::stdout().write_all(&value).unwrap();
            }
            None => respond(404, b"error -1: not found\n"),
        }
    } else if let Some(key) = path.strip_prefix("/set/") {
        let value = body();
        match query("ttl").and_then(|t| t.parse::<u32>().ok()) {
            Some(ttl) => kv::set_with_ttl(key, &value, ttl)?,
            None => kv::set(key, &value)?,
        }
        respond(200, b"ok\n");
    } else if let Some(key) = path.strip_prefix("/del/") {
        if kv::delete(key)? {
            respond(200, b"deleted\n");
        } else {
            respond(404, b"error -1: not found\n");
        }
    } else if let Some(prefix) = path.strip_prefix("/list/") {
        let mut text = String::new();
        for key in kv::list(prefix) {
            match key {
                Ok(key) => {
                    text.push_str(&key);
                    text.push('\n');
                }
                Err(e) => text.push_str(&format!("{}\n", e)),
            }
        }
        respond(200, text.as_bytes());
    } else if let Some(key) = path.strip_prefix("/incr/") {
        let value = kv::incr(key, 1)?;
        respond(200, format!("{}\n", value).as_bytes());
    } else if let Some(key) = path.strip_prefix("/cas/") {
        let value = body();
        let expected = query("expected");
        if kv::cas(key, expected.as_deref().map(str::as_bytes), &value)? {
            respond(200, b"written\n");
        } else {
            respond(409, b"error -5: conflict\n");
        }
    } else {
        respond(404, b"no such route\n");
    }
    Ok(())
}

fn main() {
    let path = env::var("PATH_INFO").unwrap_or_default();
    let path = if path.is_empty() { "/".to_string() } else { path };
    if let Err(e) = route(&path) {
        fail(e);
    }
}
