//! Staff sessions checked a moment ago. An operator's screen makes several requests at once
//! (the card, its timeline, its contracts…) and each one checked the session and the user in
//! the database; the card's throughput on PostgreSQL was bound by those round trips. A
//! principal read from the database is kept here for a few seconds.
//!
//! What changes a principal on this server (signing out, a password changed, a user
//! deactivated or given another role, a refresh token reused) empties the cache once committed,
//! so here such a change takes effect at once. Another server of the same database sees it
//! when its entry is older than the cache's lifetime (`OKNO_SESSION_CHECK_SECONDS`, 5 by
//! default; 0 turns the cache off). Subscribers' sessions are not kept: the cabinet shows
//! what it is changed at once.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::Principal;

/// Most sessions kept; past it, entries too old to be used are dropped, then all.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug)]
pub struct SessionCache {
    lifetime: Duration,
    state: Mutex<Cached>,
}

#[derive(Debug, Default)]
struct Cached {
    /// Moves on with every change of principals, so a principal read before a change is not
    /// stored after it.
    generation: u64,
    sessions: HashMap<i64, Entry>,
}

#[derive(Debug)]
struct Entry {
    principal: Principal,
    session_expires_at: DateTime<Utc>,
    checked_at: Instant,
}

impl SessionCache {
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Cached> {
        // The map holds no invariant a panic could break halfway.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The principal of session `session_id` if it was checked within the lifetime and the
    /// session is still running at `now`.
    pub fn get(&self, session_id: i64, now: DateTime<Utc>) -> Option<Principal> {
        let cached = self.lock();
        cached
            .sessions
            .get(&session_id)
            .filter(|e| e.checked_at.elapsed() < self.lifetime && now < e.session_expires_at)
            .map(|e| e.principal.clone())
    }

    /// Where the cache stands before a principal is read from the database; pass it to
    /// [`SessionCache::keep`].
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps a staff principal read at `generation`, unless principals changed since.
    pub fn keep(
        &self,
        generation: u64,
        session_id: i64,
        principal: &Principal,
        session_expires_at: DateTime<Utc>,
    ) {
        if self.lifetime.is_zero() || principal.kind != okno_api_types::auth::PrincipalKind::Staff {
            return;
        }
        let mut cached = self.lock();
        if cached.generation != generation {
            return;
        }
        if cached.sessions.len() >= MAX_ENTRIES {
            let lifetime = self.lifetime;
            cached
                .sessions
                .retain(|_, e| e.checked_at.elapsed() < lifetime);
            if cached.sessions.len() >= MAX_ENTRIES {
                cached.sessions.clear();
            }
        }
        let mut principal = principal.clone();
        // Those belong to the request that read it.
        principal.request_id = None;
        principal.purpose = None;
        principal.read_trail = None;
        cached.sessions.insert(
            session_id,
            Entry {
                principal,
                session_expires_at,
                checked_at: Instant::now(),
            },
        );
    }

    /// Forgets every session: principals changed. Call it once the change is committed.
    pub fn forget_all(&self) {
        let mut cached = self.lock();
        cached.generation += 1;
        cached.sessions.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_db::users::UserRecord;

    fn staff() -> Principal {
        let user = UserRecord {
            id: 7,
            username: "operator".into(),
            display_name: "Ewa Nowicka".into(),
            role: okno_api_types::Role::Operator,
            sales_point_id: None,
            password_hash: String::new(),
            active: true,
            created_at: chrono::NaiveDateTime::default(),
            password_changed_at: chrono::NaiveDateTime::default(),
            version: 1,
        };
        Principal::staff(&user, Some(3))
    }

    fn at(hour: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map(|t| t.and_utc())
            .expect("a valid time")
    }

    #[test]
    fn keeps_a_principal_until_its_session_ends() {
        let cache = SessionCache::new(Duration::from_secs(60));
        cache.keep(cache.generation(), 3, &staff(), at(12));
        assert_eq!(cache.get(3, at(11)).map(|p| p.id), Some(7));
        assert!(cache.get(3, at(12)).is_none(), "the session ended at noon");
        assert!(cache.get(4, at(11)).is_none());
    }

    #[test]
    fn a_principal_read_before_a_change_is_not_kept_after_it() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let before = cache.generation();
        cache.forget_all();
        cache.keep(before, 3, &staff(), at(12));
        assert!(cache.get(3, at(11)).is_none());
    }

    #[test]
    fn forgets_everything_on_a_change_and_nothing_with_no_lifetime() {
        let cache = SessionCache::new(Duration::from_secs(60));
        cache.keep(cache.generation(), 3, &staff(), at(12));
        cache.forget_all();
        assert!(cache.get(3, at(11)).is_none());

        let off = SessionCache::new(Duration::ZERO);
        off.keep(off.generation(), 3, &staff(), at(12));
        assert!(off.get(3, at(11)).is_none());
    }
}
