//! The knowledge base and the public FAQ.

use crate::Client;

impl Client {}
