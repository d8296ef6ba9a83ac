"""Chinese-first text helpers, all pure: segmentation, reading time, excerpts, slugs, dates."""
