//! The knowledge base: search in three languages, the FAQ, suggestions by topic.
