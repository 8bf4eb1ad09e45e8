//! A radix trie of the lexicon phrases that begin a word, walked from each word start.
//!
//! Anchored matching needs no failure links, so instead of an Aho-Corasick automaton these
//! phrases live in a path-compressed trie laid out depth-first in one byte array: the nodes a
//! walk visits ("b" → "est" → "ellt") sit next to each other, and a long word is one node. The
//! trie is a third of the size of the equivalent NFA, which keeps the lexicon of seventeen
//! languages in cache when messages of all of them come in turn.
//!
//! Node record: `[label_len u8][label…][terminal u8][pattern u32 if terminal][n u8]
//! [first bytes of the n children][n child offsets u32]`. A node's label is the part of its
//! incoming edge after the first byte, which the parent keeps for the child search.

/// The trie.
#[derive(Debug, Default)]
pub(crate) struct WordTrie {
    arena: Vec<u8>,
    /// The root's children by first byte (0: none), so the first step is one load.
    root: Box<[u32]>,
}

impl WordTrie {
    /// Builds the trie of `patterns`, where pattern `i` has id `i`.
    ///
    /// # Errors
    ///
    /// When some prefix is followed by more than 255 different bytes (impossible for text).
    pub fn build(patterns: &[&[u8]]) -> Result<WordTrie, String> {
        let mut trie = WordTrie { arena: Vec::with_capacity(patterns.len() * 16), root: vec![0; 256].into() };
        let mut items: Vec<(&[u8], u32)> = patterns.iter().enumerate().map(|(i, p)| (*p, i as u32)).collect();
        if !items.is_sorted_by(|a, b| a.0 < b.0) {
            items.sort_unstable_by(|a, b| a.0.cmp(b.0));
            items.dedup_by(|a, b| a.0 == b.0);
        }
        // Offset 0 holds an empty root record so that 0 can mean "no child".
        trie.arena.extend_from_slice(&[0, 0, 0]);
        let mut stack = Vec::new();
        for group in by_byte(&items, 0) {
            let offset = trie.write(group, 1, &mut stack)?;
            trie.root[group[0].0[0] as usize] = offset;
        }
        Ok(trie)
    }

    /// Writes the node for `items` (all sharing their first `depth` bytes, the last of which is
    /// the node's first byte) and its subtree, depth first; returns its offset. `stack` holds
    /// the children of the nodes on the current path.
    fn write<'a, 'b>(
        &mut self,
        items: &'b [(&'a [u8], u32)],
        depth: usize,
        stack: &mut Vec<&'b [(&'a [u8], u32)]>,
    ) -> Result<u32, String> {
        // The label runs to the longest prefix common to every item beyond `depth`, at most 255.
        let first = items[0].0;
        let last = items[items.len() - 1].0;
        let mut end = depth;
        while end < first.len() && end < last.len() && first[end] == last[end] && end - depth < 255 {
            end += 1;
        }
        let offset = self.arena.len() as u32;
        self.arena.push((end - depth) as u8);
        self.arena.extend_from_slice(&first[depth..end]);
        let (terminal, rest) = match items.first() {
            Some((p, id)) if p.len() == end => (Some(*id), &items[1..]),
            _ => (None, items),
        };
        match terminal {
            Some(id) => {
                self.arena.push(1);
                self.arena.extend_from_slice(&id.to_le_bytes());
            }
            None => self.arena.push(0),
        }
        let base = stack.len();
        stack.extend(by_byte(rest, end));
        let count = stack.len() - base;
        let count_byte = u8::try_from(count).map_err(|_| format!("{count} branches after one prefix"))?;
        self.arena.push(count_byte);
        self.arena.extend(stack[base..].iter().map(|child| child[0].0[end]));
        let slots = self.arena.len();
        self.arena.resize(slots + 4 * count, 0);
        for i in 0..count {
            let at = self.write(stack[base + i], end + 1, stack)?;
            self.arena[slots + 4 * i..slots + 4 * i + 4].copy_from_slice(&at.to_le_bytes());
        }
        stack.truncate(base);
        Ok(offset)
    }

    /// Calls `found(pattern, end)` for every pattern that `text[from..]` starts with.
    #[inline]
    pub fn walk(&self, text: &[u8], from: usize, mut found: impl FnMut(u32, usize)) {
        let a = &self.arena;
        let Some(&b) = text.get(from) else { return };
        let mut node = self.root[b as usize] as usize;
        let mut pos = from + 1;
        while node != 0 {
            let label_len = a[node] as usize;
            let label = &a[node + 1..node + 1 + label_len];
            // Labels are a few bytes: compare inline rather than through `memcmp`.
            match text.get(pos..pos + label_len) {
                Some(here) if here.iter().zip(label).all(|(x, y)| x == y) => {}
                _ => return,
            }
            pos += label_len;
            let mut at = node + 1 + label_len;
            if a[at] == 1 {
                found(u32::from_le_bytes([a[at + 1], a[at + 2], a[at + 3], a[at + 4]]), pos);
                at += 5;
            } else {
                at += 1;
            }
            let n = a[at] as usize;
            let Some(&next) = text.get(pos) else { return };
            let bytes = &a[at + 1..at + 1 + n];
            let Some(i) = bytes.iter().position(|&c| c == next) else { return };
            let slot = at + 1 + n + 4 * i;
            node = u32::from_le_bytes([a[slot], a[slot + 1], a[slot + 2], a[slot + 3]]) as usize;
            pos += 1;
        }
    }

    /// Bytes used.
    #[cfg(test)]
    pub fn memory_usage(&self) -> usize {
        self.arena.len() + 4 * self.root.len()
    }
}

/// Splits `items` (sorted, all at least `depth + 1` long) into runs sharing the byte at `depth`.
fn by_byte<'a, 'b>(items: &'b [(&'a [u8], u32)], depth: usize) -> impl Iterator<Item = &'b [(&'a [u8], u32)]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        let (first, _) = rest.first()?;
        let b = first[depth];
        let n = rest.iter().take_while(|(p, _)| p[depth] == b).count();
        let (run, tail) = rest.split_at(n);
        rest = tail;
        Some(run)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(trie: &WordTrie, text: &str, from: usize) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        trie.walk(text.as_bytes(), from, |p, e| out.push((p, e)));
        out.sort();
        out
    }

    #[test]
    fn prefixes_at_a_position() {
        let patterns: Vec<&[u8]> = vec![b"re", b"refund", b"refunded", b"return", b"rest", b"x"];
        let trie = WordTrie::build(&patterns).unwrap();
        assert_eq!(found(&trie, "refunded now", 0), vec![(0, 2), (1, 6), (2, 8)]);
        assert_eq!(found(&trie, "return", 0), vec![(0, 2), (3, 6)]);
        assert_eq!(found(&trie, "a refund", 2), vec![(0, 4), (1, 8)]);
        assert_eq!(found(&trie, "a refund", 0), vec![]);
        assert_eq!(found(&trie, "x", 0), vec![(5, 1)]);
        assert_eq!(found(&trie, "", 0), vec![]);
        assert!(trie.memory_usage() > 0);
    }

    #[test]
    fn long_labels_split_at_255_bytes() {
        let long = "a".repeat(600);
        let longer = format!("{long}b");
        let patterns: Vec<&[u8]> = vec![long.as_bytes(), longer.as_bytes()];
        let trie = WordTrie::build(&patterns).unwrap();
        assert_eq!(found(&trie, &longer, 0), vec![(0, 600), (1, 601)]);
    }

    proptest! {
        // Against the obvious definition: every pattern the text continues with at `from`.
        #[test]
        fn matches_like_starts_with(
            patterns in proptest::collection::btree_set("[ab c]{1,6}", 1..40),
            text in "[ab c]{0,30}",
            from in 0usize..30,
        ) {
            let patterns: Vec<String> = patterns.into_iter().collect();
            let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_bytes()).collect();
            let trie = WordTrie::build(&refs).unwrap();
            let from = from.min(text.len());
            let mut expected: Vec<(u32, usize)> = patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| text[from..].starts_with(p.as_str()))
                .map(|(i, p)| (i as u32, from + p.len()))
                .collect();
            expected.sort();
            prop_assert_eq!(found(&trie, &text, from), expected);
        }
    }
}
