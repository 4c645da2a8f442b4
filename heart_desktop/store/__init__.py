"""The encrypted local store (SQLCipher via sqlite-utils)."""
