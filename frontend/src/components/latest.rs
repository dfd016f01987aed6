//! The newest of a view's requests. When a filter changes, or another record is opened,
//! while an answer is on the way, that older answer may come in last; it must not replace
//! the newer one's (a list filtered by number showing every invoice, customer B's address
//! shown as A's).

use std::future::Future;

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u64>);

impl Default for Latest {
    fn default() -> Self {
        Self::new()
    }
}

impl Latest {
    pub fn new() -> Self {
        Self(StoredValue::new(0))
    }

    /// Waits for `answer` and hands it to `take`, unless a newer request was started through
    /// this `Latest` meanwhile or the view that owns it is gone.
    pub fn spawn<R: 'static>(
        self,
        answer: impl Future<Output = R> + 'static,
        take: impl FnOnce(R) + 'static,
    ) {
        let Some(request) = self.0.try_update_value(|latest| {
            *latest += 1;
            *latest
        }) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let result = answer.await;
            if self.0.try_get_value() == Some(request) {
                take(result);
            }
        });
    }
}
