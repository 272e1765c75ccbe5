//! wasmcompute.rs — the WasmCompute guest SDK for Rust, in one file.
//!
//! Safe wrappers over the "wasmcompute" host imports (docs/abi.md): the app's key-value store
//! and the log. No crates needed; put this file beside your `main.rs` and
//!
//! ```ignore
//! #[path = "wasmcompute.rs"]
//! mod wasmcompute;
//! use wasmcompute::kv;
//!
//! let hits = kv::incr("hits", 1)?;
//! ```
//!
//! then build with `rustc --target wasm32-wasi -O main.rs` (or as a module of a cargo crate).
//! Every kv call returns a `Result<_, kv::Error>`; a missing key is `Ok(None)` / `Ok(false)`, not
//! an error. Writes (`set`, `delete`) are committed when the request finishes successfully, all
//! together; `incr` and `cas` are atomic and durable at once (docs/kv.md).
#![allow(dead_code)]

mod sys {
    #[link(wasm_import_module = "wasmcompute")]
    extern "C" {
        pub fn log(level: i32, ptr: *const u8, len: usize);
        pub fn kv_get(key: *const u8, key_len: usize, buf: *mut u8, buf_len: usize) -> i32;
        pub fn kv_set(key: *const u8, key_len: usize, val: *const u8, val_len: usize) -> i32;
        pub fn kv_set_ttl(key: *const u8, key_len: usize, val: *const u8, val_len: usize, ttl_seconds: u32) -> i32;
        pub fn kv_delete(key: *const u8, key_len: usize) -> i32;
        pub fn kv_incr(key: *const u8, key_len: usize, delta: i64, out: *mut i64) -> i32;
        pub fn kv_cas(key: *const u8, key_len: usize, expected: *const u8, expected_len: i32, val: *const u8, val_len: usize) -> i32;
        pub fn kv_list_page(prefix: *const u8, prefix_len: usize, after: *const u8, after_len: usize, buf: *mut u8, buf_len: usize) -> i32;
    }
}

/// Log levels of [`log`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Debug = 0,
    Info = 1,
    Warn = 2,
    Error = 3,
}

/// Writes one line to the app's logs, tied to this request.
pub fn log(level: Level, message: &str) {
    unsafe { sys::log(level as i32, message.as_ptr(), message.len()) }
}

pub mod kv {
    use super::sys;
    use std::fmt;

    /// What a kv call can fail with (the host's negative status codes).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Error {
        /// -2: no store is attached to this run (e.g. an IDE preview without a datastore).
        Unavailable,
        /// -3: bad key (empty, over 1024 bytes, or containing '\n').
        Invalid,
        /// -4: the store refused or failed (a quota, a storage error); the reason is in the app's logs.
        Host,
        /// -5: `incr` found a value that is not an integer.
        Conflict,
        /// A status this SDK does not know.
        Other(i32),
    }

    impl Error {
        /// The host's status code.
        pub fn code(self) -> i32 {
            match self {
                Error::Unavailable => -2,
                Error::Invalid => -3,
                Error::Host => -4,
                Error::Conflict => -5,
                Error::Other(code) => code,
            }
        }
    }

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let text = match self {
                Error::Unavailable => "no key-value store attached",
                Error::Invalid => "invalid key",
                Error::Host => "store error (quota or storage; see the app's logs)",
                Error::Conflict => "conflict",
                Error::Other(_) => "unknown error",
            };
            write!(f, "error {}: {}", self.code(), text)
        }
    }

    impl std::error::Error for Error {}

    pub type Result<T> = std::result::Result<T, Error>;

    const NOT_FOUND: i32 = -1;
    const CONFLICT: i32 = -5;

    fn error(code: i32) -> Error {
        match code {
            -2 => Error::Unavailable,
            -3 => Error::Invalid,
            -4 => Error::Host,
            -5 => Error::Conflict,
            other => Error::Other(other),
        }
    }

    /// Calls `fill(buf) -> needed length | status` until the answer fits in `buf` (first `initial`
    /// bytes: an answer that does not fit costs a second host call).
    fn read_grow(initial: usize, mut fill: impl FnMut(&mut [u8]) -> i32) -> std::result::Result<Vec<u8>, i32> {
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
            // Too small: the host said how much it needs (the value may change meanwhile: loop).
            buf.resize(n, 0);
        }
    }

    /// The value of `key`, or `None` when it does not exist.
    pub fn get(key: &str) -> Result<Option<Vec<u8>>> {
        match read_grow(256, |buf| unsafe { sys::kv_get(key.as_ptr(), key.len(), buf.as_mut_ptr(), buf.len()) }) {
            Ok(value) => Ok(Some(value)),
            Err(NOT_FOUND) => Ok(None),
            Err(code) => Err(error(code)),
        }
    }

    /// `get` of a UTF-8 value (invalid bytes are replaced).
    pub fn get_string(key: &str) -> Result<Option<String>> {
        Ok(get(key)?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Stores `value` under `key`. `Err(Error::Host)` when a quota refuses it.
    pub fn set(key: &str, value: &[u8]) -> Result<()> {
        status(unsafe { sys::kv_set(key.as_ptr(), key.len(), value.as_ptr(), value.len()) })
    }

    /// `set` that expires `ttl_seconds` after the commit (0: never).
    pub fn set_with_ttl(key: &str, value: &[u8], ttl_seconds: u32) -> Result<()> {
        status(unsafe { sys::kv_set_ttl(key.as_ptr(), key.len(), value.as_ptr(), value.len(), ttl_seconds) })
    }

    /// Deletes `key`: `Ok(true)` if it existed.
    pub fn delete(key: &str) -> Result<bool> {
        match unsafe { sys::kv_delete(key.as_ptr(), key.len()) } {
            NOT_FOUND => Ok(false),
            rc => status(rc).map(|_| true),
        }
    }

    /// Atomically adds `delta` to the decimal integer at `key` (a missing key counts as 0): the new value.
    pub fn incr(key: &str, delta: i64) -> Result<i64> {
        let mut out = 0i64;
        status(unsafe { sys::kv_incr(key.as_ptr(), key.len(), delta, &mut out) })?;
        Ok(out)
    }

    /// Compare-and-set: writes `value` only if `key` holds `expected` (`None`: only if it does
    /// not exist). `Ok(true)` when written, `Ok(false)` when the key held something else.
    pub fn cas(key: &str, expected: Option<&[u8]>, value: &[u8]) -> Result<bool> {
        let (ptr, len) = match expected {
            Some(e) => (e.as_ptr(), e.len() as i32),
            None => (std::ptr::null(), -1),
        };
        match unsafe { sys::kv_cas(key.as_ptr(), key.len(), ptr, len, value.as_ptr(), value.len()) } {
            CONFLICT => Ok(false),
            rc => status(rc).map(|_| true),
        }
    }

    /// The keys starting with `prefix`, in byte order, fetched from the host a page (≤ 1000 keys)
    /// at a time: `for key in kv::list("user:") { let key = key?; … }`.
    pub fn list(prefix: &str) -> Keys {
        Keys { prefix: prefix.to_string(), after: String::new(), page: Vec::new(), done: false }
    }

    /// Iterator returned by [`list`].
    pub struct Keys {
        prefix: String,
        after: String,
        page: Vec<String>,
        done: bool,
    }

    impl Keys {
        /// The next page of keys after `after` (empty: the listing is over).
        fn fetch(&mut self) -> Result<Vec<String>> {
            let (prefix, after) = (&self.prefix, &self.after);
            let bytes = read_grow(4096, |buf| unsafe { sys::kv_list_page(prefix.as_ptr(), prefix.len(), after.as_ptr(), after.len(), buf.as_mut_ptr(), buf.len()) })
                .map_err(error)?;
            if bytes.is_empty() {
                return Ok(Vec::new());
            }
            let text = String::from_utf8_lossy(&bytes);
            // Reversed, so that `pop` hands out keys in order.
            Ok(text.split('\n').rev().map(str::to_string).collect())
        }
    }

    impl Iterator for Keys {
        type Item = Result<String>;

        fn next(&mut self) -> Option<Self::Item> {
            if self.done {
                return None;
            }
            if self.page.is_empty() {
                match self.fetch() {
                    Ok(page) if page.is_empty() => {
                        self.done = true;
                        return None;
                    }
                    Ok(page) => self.page = page,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
            }
            let key = self.page.pop()?;
            self.after.clone_from(&key);
            Some(Ok(key))
        }
    }

    fn status(rc: i32) -> Result<()> {
        if rc < 0 {
            Err(error(rc))
        } else {
            Ok(())
        }
    }
}
