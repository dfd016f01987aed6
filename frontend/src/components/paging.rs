//! A list read a page at a time: what has been loaded, where the next page starts, and how
//! the last request went.

use leptos::prelude::*;
use okno_api_types::Page;

use crate::api::Failure;

pub struct Pages<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    /// The cursor of the next page, when there is one.
    pub next: RwSignal<Option<String>>,
    pub failure: RwSignal<Option<Failure>>,
    pub loading: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Pages<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Pages<T> {}

impl<T: Send + Sync + 'static> Default for Pages<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> Pages<T> {
    /// An empty list, loading its first page.
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            failure: RwSignal::new(None),
            loading: RwSignal::new(true),
        }
    }

    /// Takes the answer for the page at `cursor`: the first page replaces the list, a later
    /// one extends it.
    pub fn receive(&self, cursor: Option<&str>, result: Result<Page<T>, Failure>) {
        match result {
            Ok(page) => {
                if cursor.is_none() {
                    self.items.set(page.items);
                } else {
                    self.items.update(|items| items.extend(page.items));
                }
                self.next.set(page.next_cursor);
                self.failure.set(None);
            }
            Err(error) => self.failure.set(Some(error)),
        }
        self.loading.set(false);
    }
}
