#![no_main]
//! The persistent index file: decoding arbitrary bytes never panics, and
//! one or two bits flipped in a sound file never change what an entry gives
//! a load — an entry is either what was stored or refused (read afresh).

use heft_load::index_format::{decode, encode};
use libfuzzer_sys::fuzz_target;

const KEY: &str = "3|/usr/local/go|/root/go/pkg/mod|Some(\"go1.26.8\")|linux|amd64|true|[]|[]|[]";

fuzz_target!(|data: &[u8]| {
    // Arbitrary bytes as a file.
    let _ = decode(data, KEY);
    // A sound file made from the input, then flipped where the input says.
    let (flips, body) = data.split_at(data.len().min(8));
    let entries: Vec<(String, Vec<u8>)> = body
        .chunks(23)
        .enumerate()
        .map(|(i, chunk)| (format!("/root/go/pkg/mod/example.com/m{i}@v1.0.0/p"), chunk.to_vec()))
        .collect();
    let borrowed: Vec<(&str, &[u8])> = entries.iter().map(|(d, e)| (d.as_str(), e.as_slice())).collect();
    let Some(mut file) = encode(KEY, &borrowed) else { return };
    let bits = file.len() * 8;
    for pair in flips.chunks(4).take(2) {
        let at = pair.iter().fold(0usize, |a, &b| a << 8 | b as usize) % bits;
        file[at / 8] ^= 1 << (at % 8);
    }
    for (dir, entry) in decode(&file, KEY) {
        let Some(entry) = entry else { continue };
        let stored = entries.iter().find(|(d, _)| *d == dir);
        assert_eq!(stored.map(|(_, e)| e.as_slice()), Some(entry.as_slice()), "{dir}: a changed entry was accepted");
    }
});
