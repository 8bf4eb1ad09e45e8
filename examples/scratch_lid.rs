// dev: print misidentified short prefixes of a langid file
fn main() {
    let engine = aftersales::Engine::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = &args[0];
    let max: usize = args.get(1).map(|s| s.parse().unwrap()).unwrap_or(60);
    let data = std::fs::read_to_string(format!("../shared/data/langid/{lang}.txt")).unwrap();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let mut end = 0;
        let mut n = 0;
        for (i, c) in line.char_indices() {
            if n + 1 >= max {
                break;
            }
            n += 1;
            if c == ' ' {
                end = i;
            }
        }
        let short = if n < max - 1 { line } else { &line[..end] };
        let c = engine.classify(short).unwrap();
        if c.language.as_str() != lang {
            println!("{} {:.3} | {}", c.language, c.language_confidence, short);
        }
    }
}
