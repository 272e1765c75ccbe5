//! wasmcompute_buffer.rs — the buffer both Rust SDK files read the host's answers into; keep it
//! beside wasmcompute.rs and wasmcompute_http.rs (each includes it as its `buffer` module).

/// Calls `fill(buf) -> needed length | negative status` until the answer fits in `buf` (first
/// `initial` bytes). The host copies only when the answer fits and always says how much it has, so
/// an answer that does not fit costs a second host call.
pub(crate) fn read_grow(initial: usize, mut fill: impl FnMut(&mut [u8]) -> i32) -> Result<Vec<u8>, i32> {
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
