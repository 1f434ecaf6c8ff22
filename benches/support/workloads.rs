//! The benchmark workloads, generated deterministically in code.
//!
//! Shared by the criterion benches (`benches/parse.rs`) and the side-by-side
//! comparison (`benches/compare`), which include this file with `#[path]`,
//! so both measure exactly the same bytes. Each workload knows how many
//! events it holds and how many data bytes they carry: every run checks
//! both, so nothing can be optimised away or be silently wrong.

// Each includer uses a different part, and the benches keep it private.
#![allow(dead_code, unreachable_pub)]

/// The chunk size every workload is fed in.
pub const CHUNK_64K: usize = 64 * 1024;

/// One input stream and what a conforming parser must find in it.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Short name, as in the tables: `tokens`, `small`, ...
    pub name: &'static str,
    /// The whole stream.
    pub bytes: Vec<u8>,
    /// The number of events (message dispatches) in it.
    pub events: usize,
    /// The total length of their data, in bytes (lines joined with LF).
    pub data_bytes: usize,
    /// The chunk sizes it is fed in.
    pub chunk_sizes: &'static [usize],
}

/// What a parser found: compared with a workload's expectations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Events dispatched.
    pub events: usize,
    /// Their data bytes.
    pub data_bytes: usize,
}

impl Tally {
    /// Counts one event carrying `data_len` bytes of data.
    #[inline]
    pub fn event(&mut self, data_len: usize) {
        self.events += 1;
        self.data_bytes += data_len;
    }
}

impl Workload {
    /// What a conforming parser must report for this workload.
    pub fn expected(&self) -> Tally {
        Tally {
            events: self.events,
            data_bytes: self.data_bytes,
        }
    }

    /// The input cut into chunks of `size` bytes (the last may be shorter).
    pub fn chunks(&self, size: usize) -> core::slice::Chunks<'_, u8> {
        self.bytes.chunks(size)
    }
}

/// All workloads, in table order.
pub fn all() -> Vec<Workload> {
    vec![tokens(), small(), fields(), large(), comments()]
}

/// The workload called `name`, if there is one.
pub fn by_name(name: &str) -> Option<Workload> {
    match name {
        "tokens" => Some(tokens()),
        "small" => Some(small()),
        "fields" => Some(fields()),
        "large" => Some(large()),
        "comments" => Some(comments()),
        _ => None,
    }
}

/// A tiny deterministic generator (64-bit LCG, high bits out), so the
/// workloads are the same bytes on every machine and every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

/// Builds a workload event by event: `push_event` appends one block and
/// records its data length.
struct Builder {
    bytes: Vec<u8>,
    events: usize,
    data_bytes: usize,
}

impl Builder {
    fn new() -> Self {
        Self {
            bytes: Vec::new(),
            events: 0,
            data_bytes: 0,
        }
    }

    fn event(&mut self, block: &[u8], data_len: usize) {
        self.bytes.extend_from_slice(block);
        self.events += 1;
        self.data_bytes += data_len;
    }

    fn finish(self, name: &'static str, chunk_sizes: &'static [usize]) -> Workload {
        Workload {
            name,
            bytes: self.bytes,
            events: self.events,
            data_bytes: self.data_bytes,
            chunk_sizes,
        }
    }
}

const WORD_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

/// 200,000 LLM-style streaming events of about 110 bytes, one `data:` line
/// each: the shape of a chat-completion token stream.
pub fn tokens() -> Workload {
    let mut rng = Lcg(1);
    let mut out = Builder::new();
    let mut block = Vec::new();
    for _ in 0..200_000 {
        block.clear();
        block.extend_from_slice(b"data: ");
        let start = block.len();
        block.extend_from_slice(
            br#"{"id":"chatcmpl-9x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":""#,
        );
        for _ in 0..=rng.below(8) {
            block.push(WORD_CHARS[rng.below(WORD_CHARS.len() as u32) as usize]);
        }
        block.extend_from_slice(br#""}}]}"#);
        let data_len = block.len() - start;
        block.extend_from_slice(b"\n\n");
        out.event(&block, data_len);
    }
    out.finish("tokens", &[CHUNK_64K, 1024, 16])
}

/// 1,000,000 tiny events, `data: <n>`: per-event overhead dominates.
pub fn small() -> Workload {
    let mut out = Builder::new();
    for n in 0..1_000_000u32 {
        let data = n.to_string();
        let block = format!("data: {data}\n\n");
        out.event(block.as_bytes(), data.len());
    }
    out.finish("small", &[CHUNK_64K])
}

/// 200,000 events using every field (`event`, `id`, `retry`, two `data`
/// lines); every other event ends its lines with CRLF.
pub fn fields() -> Workload {
    let mut out = Builder::new();
    for n in 0..200_000u32 {
        let head = format!(r#"{{"seq":{n},"part":"head"}}"#);
        let tail = format!(r#"{{"seq":{n},"part":"tail","ok":true}}"#);
        let eol = if n % 2 == 0 { "\n" } else { "\r\n" };
        let block = format!(
            "event: update{eol}id: {n}{eol}retry: 3000{eol}data: {head}{eol}data: {tail}{eol}{eol}"
        );
        // The two data lines are joined with one LF.
        out.event(block.as_bytes(), head.len() + 1 + tail.len());
    }
    out.finish("fields", &[CHUNK_64K])
}

/// 256 events of one 64 KiB `data:` line each (printable ASCII, like
/// base64 images in LLM responses): scanning speed dominates.
pub fn large() -> Workload {
    const LINE: usize = 64 * 1024;
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut rng = Lcg(3);
    let mut out = Builder::new();
    let mut block = Vec::with_capacity(LINE + 16);
    for _ in 0..256 {
        block.clear();
        block.extend_from_slice(b"data: ");
        block.extend((0..LINE).map(|_| BASE64[rng.below(64) as usize]));
        block.extend_from_slice(b"\n\n");
        out.event(&block, LINE);
    }
    out.finish("large", &[CHUNK_64K])
}

/// A heartbeat-heavy stream: 200,000 small events, each preceded by a
/// `: ping` comment block.
pub fn comments() -> Workload {
    let mut out = Builder::new();
    for n in 0..200_000u32 {
        out.bytes.extend_from_slice(b": ping\n\n");
        let data = format!(r#"{{"tick":{n}}}"#);
        let block = format!("data: {data}\n\n");
        out.event(block.as_bytes(), data.len());
    }
    out.finish("comments", &[CHUNK_64K])
}
