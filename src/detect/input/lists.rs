//! One short list per item (an incident's victims, suspects or phone
//! numbers), all stored flat: a national run has millions of these lists,
//! and one allocation each cost more than the lists themselves.

use std::ops::{Index, Range};

use rayon::prelude::*;

/// Lists numbered `0..len()`; list `i` is `lists[i]`, a slice.
#[derive(Debug, Clone)]
pub struct Lists<T> {
    /// Where each list starts in `items`; list `i` ends where `i + 1` starts.
    starts: Vec<usize>,
    items: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Lists<T> {
        Lists {
            starts: vec![0],
            items: Vec::new(),
        }
    }
}

impl<T: Ord + Send> Lists<T> {
    /// `count` lists from (list, item) pairs in any order: each list sorted,
    /// an item given twice kept once, a pair naming a list past `count` dropped.
    pub fn from_pairs(count: usize, mut pairs: Vec<(u32, T)>) -> Lists<T> {
        pairs.par_sort_unstable();
        pairs.dedup();
        let mut starts = Vec::with_capacity(count + 1);
        let mut items = Vec::with_capacity(pairs.len());
        let mut pairs = pairs.into_iter().peekable();
        for list in 0..count {
            starts.push(items.len());
            while let Some((_, item)) = pairs.next_if(|(owner, _)| *owner as usize == list) {
                items.push(item);
            }
        }
        starts.push(items.len());
        Lists { starts, items }
    }
}

impl<T> Lists<T> {
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// List `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&[T]> {
        (i < self.len()).then(|| &self.items[self.span(i)])
    }

    fn span(&self, i: usize) -> Range<usize> {
        self.starts[i]..self.starts[i + 1]
    }
}

impl<T> Index<usize> for Lists<T> {
    type Output = [T];

    /// List `i` (panics past the last list, like a slice).
    fn index(&self, i: usize) -> &[T] {
        &self.items[self.span(i)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_in_any_order_become_sorted_lists_without_repeats() {
        let lists = Lists::from_pairs(4, vec![(2, 9), (0, 5), (2, 1), (0, 5), (7, 3), (2, 4)]);
        assert_eq!(lists.len(), 4);
        assert_eq!(&lists[0], &[5]);
        assert!(lists[1].is_empty());
        assert_eq!(&lists[2], &[1, 4, 9]);
        assert!(lists[3].is_empty());
        assert_eq!(lists.get(3), Some(&[][..]));
        assert_eq!(lists.get(4), None);
    }

    #[test]
    fn no_lists_by_default() {
        let lists: Lists<u32> = Lists::default();
        assert!(lists.is_empty());
        assert_eq!(lists.get(0), None);
    }
}
