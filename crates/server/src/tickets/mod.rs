//! Technical problems (R-50..R-53).
