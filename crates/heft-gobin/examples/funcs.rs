//! Prints the function table of a Go binary, one function a line: entry
//! address, code size, span to the next function, name. With `sections` as
//! a second argument, also the loaded sections (to stderr).
fn main() {
    let path = std::env::args().nth(1).expect("usage: funcs BINARY [sections]");
    let data = std::fs::read(&path).expect("read");
    let bin = heft_gobin::GoBinary::parse(&data).expect("parse");
    for w in &bin.warnings {
        eprintln!("warning: {w}");
    }
    if std::env::args().nth(2).as_deref() == Some("sections") {
        for s in &bin.sections {
            eprintln!("{} {:?} {:x} {}", s.name, s.kind, s.addr, s.size);
        }
        eprintln!("text section: {:?}", bin.text_section);
    }
    if let Some(t) = &bin.pclntab {
        for f in &t.funcs {
            println!("{:x} {} {} {}", t.text_start.wrapping_add(f.offset), f.size, f.span, f.name);
        }
    }
}
