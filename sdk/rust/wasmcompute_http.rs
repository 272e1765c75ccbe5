//! wasmcompute_http.rs — outbound HTTP for WasmCompute guests in Rust, in one file.
//!
//! Safe wrappers over the "wasmcompute" `http_*` host imports (docs/abi.md, "Outbound HTTP"):
//! a call reaches only the origins the app lists in `allowed_hosts` of wasmcompute.yaml, and the
//! guest blocks until the answer (or the request's deadline). No crates needed; put this file
//! beside your `main.rs` and
//!
//! ```ignore
//! #[path = "wasmcompute_http.rs"]
//! mod wasmcompute_http;
//! use wasmcompute_http::http;
//!
//! match http::get("https://api.example.com/items") {
//!     Ok(res) => println!("Content-Type: text/plain\n\n{} {}", res.status, res.text_lossy()),
//!     Err(e) => println!("Status: 502\nContent-Type: text/plain\n\n{}", e),
//! }
//! ```
//!
//! then build with `rustc --target wasm32-wasip1 -O main.rs` (or as a module of a cargo crate).
//! Every call returns a `Result<Response, http::Error>`; the error carries the host's code
//! (`ErrorKind`) and, in words, why the call failed (the host's `http_error`).
//!
//! On any other target than wasm32 the imports are replaced by a stand-in (`host_stand_in`)
//! that tests program, so `cargo test` checks this file on the machine that builds it, and
//! `cargo check --features imports-on-host` type-checks the real import declarations
//! (sdk/rust/Cargo.toml). Written for Debian's rustc 1.63 as well as current releases.
#![allow(dead_code)]

// The real imports. `cargo check --features imports-on-host` type-checks this block with the code
// above it on a machine without a wasm32 standard library (nothing is linked by a check).
#[cfg(any(target_arch = "wasm32", feature = "imports-on-host"))]
mod sys {
    #[link(wasm_import_module = "wasmcompute")]
    extern "C" {
        pub fn http_request(
            method: *const u8,
            method_len: usize,
            url: *const u8,
            url_len: usize,
            headers: *const u8,
            headers_len: usize,
            body: *const u8,
            body_len: usize,
        ) -> i32;
        pub fn http_status(handle: i32) -> i32;
        pub fn http_headers(handle: i32, buf: *mut u8, buf_len: usize) -> i32;
        pub fn http_body(handle: i32, buf: *mut u8, buf_len: usize) -> i32;
        pub fn http_close(handle: i32) -> i32;
        pub fn http_error(buf: *mut u8, buf_len: usize) -> i32;
    }
}

#[cfg(not(any(target_arch = "wasm32", feature = "imports-on-host")))]
use host_stand_in as sys;

pub mod http {
    use super::sys;
    use std::fmt;

    /// Why a call got no response: the host's negative codes (docs/abi.md).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum ErrorKind {
        /// -1: the URL's scheme, host and port are not in `allowed_hosts`.
        NotAllowed,
        /// -2: the host is (or redirects to) a loopback, private, link-local or metadata address.
        RefusedAddress,
        /// -3: not an http(s) URL, a bad method or header.
        Invalid,
        /// -4: past the request's outbound caps (calls, bytes).
        Limit,
        /// -5: no answer inside the request's deadline.
        Timeout,
        /// -6: the connection or the upstream failed.
        Failed,
        /// -7: outbound HTTP is not available in this run.
        Unavailable,
        /// A code this SDK does not know.
        Other(i32),
    }

    impl ErrorKind {
        pub fn from_code(code: i32) -> ErrorKind {
            match code {
                -1 => ErrorKind::NotAllowed,
                -2 => ErrorKind::RefusedAddress,
                -3 => ErrorKind::Invalid,
                -4 => ErrorKind::Limit,
                -5 => ErrorKind::Timeout,
                -6 => ErrorKind::Failed,
                -7 => ErrorKind::Unavailable,
                other => ErrorKind::Other(other),
            }
        }

        /// The host's code.
        pub fn code(self) -> i32 {
            match self {
                ErrorKind::NotAllowed => -1,
                ErrorKind::RefusedAddress => -2,
                ErrorKind::Invalid => -3,
                ErrorKind::Limit => -4,
                ErrorKind::Timeout => -5,
                ErrorKind::Failed => -6,
                ErrorKind::Unavailable => -7,
                ErrorKind::Other(code) => code,
            }
        }
    }

    /// A failed call: its kind and the host's reason in words.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Error {
        pub kind: ErrorKind,
        pub message: String,
    }

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "outbound HTTP error {}: {}", self.kind.code(), self.message)
        }
    }

    impl std::error::Error for Error {}

    /// An upstream's answer; header names are lowercase.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Response {
        pub status: u16,
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
    }

    impl Response {
        /// The first header of that name (case-insensitive), if any.
        pub fn header(&self, name: &str) -> Option<&str> {
            let name = name.to_ascii_lowercase();
            self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
        }

        /// The body as text (invalid UTF-8 replaced).
        pub fn text_lossy(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }
    }

    /// GET `url`.
    pub fn get(url: &str) -> Result<Response, Error> {
        request("GET", url, &[], &[])
    }

    /// Sends `method url` with headers and a body; blocks until the answer or the request's deadline.
    pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Response, Error> {
        let mut lines = String::new();
        for (name, value) in headers {
            // The wire form is "name:value\n" lines: a name with ':' or a line break cannot travel.
            if name.is_empty() || name.contains(|c| c == ':' || c == '\n' || c == '\r') || value.contains(|c| c == '\n' || c == '\r') {
                return Err(Error { kind: ErrorKind::Invalid, message: format!("the header {:?} cannot be sent", name) });
            }
            lines.push_str(name);
            lines.push(':');
            lines.push_str(value);
            lines.push('\n');
        }
        let handle = unsafe {
            sys::http_request(method.as_ptr(), method.len(), url.as_ptr(), url.len(), lines.as_ptr(), lines.len(), body.as_ptr(), body.len())
        };
        if handle <= 0 {
            let message = read_grow(256, |buf| unsafe { sys::http_error(buf.as_mut_ptr(), buf.len()) }).unwrap_or_default();
            let kind = if handle == 0 { ErrorKind::Failed } else { ErrorKind::from_code(handle) };
            return Err(Error { kind, message: String::from_utf8_lossy(&message).into_owned() });
        }
        let status = unsafe { sys::http_status(handle) };
        let headers = read_grow(1024, |buf| unsafe { sys::http_headers(handle, buf.as_mut_ptr(), buf.len()) });
        let body = read_grow(16 * 1024, |buf| unsafe { sys::http_body(handle, buf.as_mut_ptr(), buf.len()) });
        unsafe { sys::http_close(handle) };
        match (headers, body) {
            (Ok(headers), Ok(body)) => Ok(Response { status: status as u16, headers: parse_headers(&headers), body }),
            (Err(code), _) | (_, Err(code)) => Err(Error { kind: ErrorKind::from_code(code), message: "the response could not be read".to_string() }),
        }
    }

    fn parse_headers(raw: &[u8]) -> Vec<(String, String)> {
        String::from_utf8_lossy(raw)
            .split('\n')
            .filter_map(|line| {
                let colon = line.find(':')?;
                Some((line[..colon].trim().to_ascii_lowercase(), line[colon + 1..].trim().to_string()))
            })
            .collect()
    }

    /// Calls `fill(buf) -> needed length | negative code` until the answer fits in `buf` (the host
    /// copies only when it fits and always says how much it has).
    fn read_grow(initial: usize, mut fill: impl FnMut(&mut [u8]) -> i32) -> Result<Vec<u8>, i32> {
        let mut buf = vec![0u8; initial];
        loop {
            let n = fill(&mut buf);
            if n < 0 {
                return Err(n);
            }
            let n = n as usize;
            if n <= buf.len() {
                buf.truncate(n);
                return Ok(buf);
            }
            buf.resize(n, 0);
        }
    }
}

/// The host's imports, played in Rust off wasm32: tests say what the next call answers and read
/// what the guest sent. Same signatures as the imports, so the code above is the code that runs.
#[cfg(not(target_arch = "wasm32"))]
pub mod host_stand_in {
    use std::cell::RefCell;
    use std::collections::HashMap;

    /// What the stand-in answers to the next `http_request`.
    #[derive(Clone, Debug)]
    pub enum Answer {
        Response { status: i32, headers: String, body: Vec<u8> },
        Refused { code: i32, message: String },
    }

    /// One request as the host received it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Sent {
        pub method: String,
        pub url: String,
        pub headers: String,
        pub body: Vec<u8>,
    }

    #[derive(Default)]
    struct Host {
        next: Option<Answer>,
        sent: Vec<Sent>,
        open: HashMap<i32, (i32, Vec<u8>, Vec<u8>)>,
        next_handle: i32,
        last_error: Vec<u8>,
    }

    thread_local! {
        static HOST: RefCell<Host> = RefCell::new(Host::default());
    }

    pub fn answer_next(answer: Answer) {
        HOST.with(|h| h.borrow_mut().next = Some(answer));
    }

    pub fn sent() -> Vec<Sent> {
        HOST.with(|h| h.borrow().sent.clone())
    }

    pub fn open_handles() -> usize {
        HOST.with(|h| h.borrow().open.len())
    }

    unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
        if len == 0 { &[] } else { std::slice::from_raw_parts(ptr, len) }
    }

    unsafe fn copy_out(data: &[u8], buf: *mut u8, buf_len: usize) -> i32 {
        if data.len() <= buf_len && !data.is_empty() {
            std::ptr::copy_nonoverlapping(data.as_ptr(), buf, data.len());
        }
        data.len() as i32
    }

    pub unsafe fn http_request(method: *const u8, method_len: usize, url: *const u8, url_len: usize, headers: *const u8, headers_len: usize, body: *const u8, body_len: usize) -> i32 {
        let text = |p, l| String::from_utf8_lossy(bytes(p, l)).into_owned();
        let sent = Sent { method: text(method, method_len), url: text(url, url_len), headers: text(headers, headers_len), body: bytes(body, body_len).to_vec() };
        HOST.with(|h| {
            let mut h = h.borrow_mut();
            h.sent.push(sent);
            match h.next.take() {
                Some(Answer::Response { status, headers, body }) => {
                    h.next_handle += 1;
                    let handle = h.next_handle;
                    h.open.insert(handle, (status, headers.into_bytes(), body));
                    h.last_error.clear();
                    handle
                }
                Some(Answer::Refused { code, message }) => {
                    h.last_error = message.into_bytes();
                    code
                }
                None => {
                    h.last_error = b"outbound HTTP is not available here".to_vec();
                    -7
                }
            }
        })
    }

    pub unsafe fn http_status(handle: i32) -> i32 {
        HOST.with(|h| h.borrow().open.get(&handle).map(|r| r.0).unwrap_or(-3))
    }

    pub unsafe fn http_headers(handle: i32, buf: *mut u8, buf_len: usize) -> i32 {
        HOST.with(|h| match h.borrow().open.get(&handle) {
            Some(r) => copy_out(&r.1, buf, buf_len),
            None => -3,
        })
    }

    pub unsafe fn http_body(handle: i32, buf: *mut u8, buf_len: usize) -> i32 {
        HOST.with(|h| match h.borrow().open.get(&handle) {
            Some(r) => copy_out(&r.2, buf, buf_len),
            None => -3,
        })
    }

    pub unsafe fn http_close(handle: i32) -> i32 {
        HOST.with(|h| h.borrow_mut().open.remove(&handle));
        0
    }

    pub unsafe fn http_error(buf: *mut u8, buf_len: usize) -> i32 {
        HOST.with(|h| copy_out(&h.borrow().last_error, buf, buf_len))
    }
}

#[cfg(all(test, not(any(target_arch = "wasm32", feature = "imports-on-host"))))]
mod tests {
    use super::host_stand_in::{answer_next, open_handles, sent, Answer, Sent};
    use super::http::{self, ErrorKind};

    #[test]
    fn sends_method_url_headers_and_body_and_reads_the_whole_answer() {
        let body: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        answer_next(Answer::Response { status: 201, headers: "content-type:application/json\nx-many:a\n".to_string(), body: body.clone() });
        let res = http::request("POST", "https://api.example.com/items", &[("Content-Type", "text/plain"), ("X-Id", "7")], b"hi").unwrap();
        assert_eq!(res.status, 201);
        assert_eq!(res.header("Content-Type"), Some("application/json"));
        assert_eq!(res.header("x-missing"), None);
        // Bigger than the first buffer: read again at the size the host said.
        assert_eq!(res.body, body);
        assert_eq!(
            sent(),
            vec![Sent { method: "POST".into(), url: "https://api.example.com/items".into(), headers: "Content-Type:text/plain\nX-Id:7\n".into(), body: b"hi".to_vec() }]
        );
        assert_eq!(open_handles(), 0, "the response is closed once read");
    }

    #[test]
    fn a_refusal_carries_its_kind_and_the_hosts_reason() {
        let reason = "http://10.0.0.5 resolves to 10.0.0.5, a private address, which apps may not call (the operator can allow it with GATEWAY_OUTBOUND_ALLOW)";
        answer_next(Answer::Refused { code: -2, message: reason.to_string() });
        let err = http::get("http://10.0.0.5/").unwrap_err();
        assert_eq!(err.kind, ErrorKind::RefusedAddress);
        assert_eq!(err.message, reason);
        assert_eq!(err.to_string(), format!("outbound HTTP error -2: {}", reason));
        for code in -7..=-1 {
            assert_eq!(ErrorKind::from_code(code).code(), code);
        }
        assert_eq!(ErrorKind::from_code(-99), ErrorKind::Other(-99));
    }

    #[test]
    fn without_a_host_answer_the_call_is_unavailable() {
        let err = http::get("https://api.example.com/").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unavailable);
        assert_eq!(err.message, "outbound HTTP is not available here");
    }

    #[test]
    fn refuses_headers_that_cannot_travel_without_calling_the_host() {
        let err = http::request("GET", "https://api.example.com/", &[("x-bad", "a\nb")], &[]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        let err = http::request("GET", "https://api.example.com/", &[("x:bad", "a")], &[]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert!(sent().is_empty());
    }
}
