//! Classifies messages given as arguments, or one per line on standard input, and prints one
//! JSON result per message.
//!
//! ```sh
//! cargo run --example classify -- "My parcel arrived crushed" "¿Dónde está mi pedido?"
//! echo "包裹还没到" | cargo run --example classify
//! ```

use std::io::BufRead;

use aftersales::Engine;

fn main() {
    let engine = Engine::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let texts: Vec<String> = if args.is_empty() {
        std::io::stdin().lock().lines().map_while(Result::ok).filter(|l| !l.trim().is_empty()).collect()
    } else {
        args
    };
    for text in texts {
        match engine.classify(&text) {
            Ok(c) => println!("{}", serde_json::to_string(&c).expect("a classification serialises")),
            Err(e) => eprintln!("{e}"),
        }
    }
}
