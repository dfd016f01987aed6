//! A list read a page at a time: what has been loaded, where the next page starts, and how
//! the last request went.

use std::future::Future;

use leptos::prelude::*;
use okno_api_types::Page;

use super::latest::Latest;
use crate::api::Failure;

pub struct Pages<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    /// The cursor of the next page, when there is one.
    pub next: RwSignal<Option<String>>,
    pub failure: RwSignal<Option<Failure>>,
    pub loading: RwSignal<bool>,
    latest: Latest,
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
            latest: Latest::new(),
        }
    }

    /// Waits for `answer`, the page after `cursor` (the first page when `None`), and takes it
    /// unless a newer request was started meanwhile or the list is no longer shown.
    pub fn load(
        self,
        cursor: Option<String>,
        answer: impl Future<Output = Result<Page<T>, Failure>> + 'static,
    ) {
        self.loading.set(true);
        self.latest
            .spawn(answer, move |result| self.receive(cursor.is_none(), result));
    }

    /// The first page replaces the list, a later one extends it.
    fn receive(&self, first_page: bool, result: Result<Page<T>, Failure>) {
        match result {
            Ok(page) => {
                if first_page {
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
