//! Cross-crate tests live in `emulator/` (the client against the in-process emulator) and
//! `python/` (the official Python SDKs against the emulator binary). This library is empty.
