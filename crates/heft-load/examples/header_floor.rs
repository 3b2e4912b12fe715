//! The floor for `heft deps`: read the import header of every file in a
//! list (one path per line on stdin), in parallel, and nothing else.
//! Used by bench/deps.sh.

use std::io::{BufRead, Read};

use rayon::prelude::*;

fn main() {
    let files: Vec<String> = std::io::stdin().lock().lines().map_while(Result::ok).collect();
    let imports: usize = files
        .par_iter()
        .map(|path| {
            let mut buf = Vec::with_capacity(8192);
            let Ok(f) = std::fs::File::open(path) else {
                return 0;
            };
            let _ = f.take(8192).read_to_end(&mut buf);
            let complete = buf.len() < 8192;
            match heft_gosrc::read_header(&buf, complete) {
                Ok(h) => h.imports.len(),
                Err(_) => {
                    let all = std::fs::read(path).unwrap_or_default();
                    heft_gosrc::read_header(&all, true).map(|h| h.imports.len()).unwrap_or(0)
                }
            }
        })
        .sum();
    println!("{} files, {imports} imports", files.len());
}
