// Replaced by one of cases/wN.rs; see ../README.md.
